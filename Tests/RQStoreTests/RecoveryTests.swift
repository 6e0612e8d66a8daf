import Foundation
import Testing
@testable import RQStore

@Suite struct RecoveryTests {
    @Test func recoversFromCrashLayout() throws {
        try withTempRoot { root in
            let q = root + "/queue/test"
            let running = "20231114.2213.20.100.11"
            let queued = "20231114.2213.20.050.12"
            let broken = "20231114.2213.20.060.13"
            let prepped = "20231114.2213.20.070.14"
            let msg = { (id: String, due: Int) in #"{"msg_id":"\#(id)","dest":"test","due":\#(due),"state":"que","path":"stale"}"# }
            try write(msg(running, 5), to: "\(q)/run/\(running)/msg")
            try write("777", to: "\(q)/run/\(running)/pid")
            try write(msg(queued, 9), to: "\(q)/que/\(queued)/msg")
            try write("half", to: "\(q)/que/\(queued)/tmp")
            try write(#"{"job_status":"x"}"#, to: "\(q)/que/\(queued)/status.tmp")
            try write("{not json", to: "\(q)/que/\(broken)/msg")
            try write(msg(prepped, 1), to: "\(q)/prep/\(prepped)/msg")
            try write("data", to: "\(q)/prep/\(prepped)/attach/.a.txt.tmp")
            try FileManager.default.createDirectory(atPath: "\(q)/prep/_20231114.2213.20.123.5", withIntermediateDirectories: true)

            let store = try recoverAndOpen(root: root)
            let report = store.recovery
            #expect(report.requeued == [running])
            #expect(report.pids == [777])
            #expect(report.skipped.map(\.id) == [broken])
            #expect(report.removed.contains("queue/test/prep/_20231114.2213.20.123.5"))
            #expect(report.removed.contains("queue/test/que/\(queued)/tmp"))
            #expect(!exists("\(q)/que/\(queued)/status.tmp"))
            #expect(!exists("\(q)/prep/\(prepped)/attach/.a.txt.tmp"))
            #expect(!exists("\(q)/que/\(running)/pid"))
            #expect(exists("\(q)/que/\(running)/msg"))
            #expect(store.queEntries.map(\.id) == [running, queued])
            #expect(try store.messages(state: "prep") == .array([.string(prepped)]))
            // The unreadable message is invisible to the scheduler but still found as que.
            #expect(try store.state(of: broken) == .que)
            #expect(store.setDueNow(broken) == .notFound)
            // After a restart, single_que answers the largest queued id.
            #expect(try store.singleQue(["dest": "test"]) == store.fullID(running))
        }
    }

    @Test func reopeningAfterCleanStopKeepsEverything() throws {
        try withTempRoot { root in
            let first = try makeStore(root: root)
            let a = shortID(try first.createMessage(["dest": "test"]))
            let b = shortID(try first.prepMessage(["dest": "test"]))
            let second = try recoverAndOpen(root: root)
            #expect(second.queEntries.map(\.id) == [a])
            #expect(try second.state(of: b) == .prep)
            #expect(second.recovery == RecoveryReport())
        }
    }
}
