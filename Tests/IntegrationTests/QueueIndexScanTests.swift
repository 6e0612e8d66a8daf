import Foundation
import Testing

/// A server started with many messages already queued indexes them in loop slices (issue 10):
/// it answers and accepts messages meanwhile, scheduling waits for the scan, and every message
/// on disk is indexed once.
@Suite struct QueueIndexScanTests {
    static func id(_ n: Int) -> String { String(format: "20231114.2213.%02d.%03d.%d", n / 1000 % 60, n % 1000, 9_000 + n) }

    @Test func aFullQueIsIndexedWhileTheServerServes() throws {
        let s = try ServerFixture()
        try s.createWorkerQueue("big", script: WorkerScripts.job, workers: 1)
        let runs = try s.scratchDirectory("big") + "/runs"
        s.stop()
        // 10,000 messages due in an hour, then one overdue message last in id order, one
        // unreadable msg and a leftover tmp file of an interrupted write.
        let que = s.root + "/queue/big/que"
        let later = Int(WorkerTests.now()) + 3_600
        func place(_ n: Int, due: Int) throws {
            try FileManager.default.createDirectory(atPath: "\(que)/\(Self.id(n))", withIntermediateDirectories: true)
            let msg = #"{"msg_id":"\#(Self.id(n))","dest":"big","count":0,"max_count":15,"due":\#(due),"param1":"record","param2":"\#(runs)"}"#
            try Data(msg.utf8).write(to: URL(fileURLWithPath: "\(que)/\(Self.id(n))/msg"))
        }
        for n in 0..<10_000 { try place(n, due: later) }
        try place(10_001, due: later - 7_200)
        try FileManager.default.createDirectory(atPath: "\(que)/\(Self.id(10_000))", withIntermediateDirectories: true)
        try Data("{".utf8).write(to: URL(fileURLWithPath: "\(que)/\(Self.id(10_000))/msg"))
        try Data("half".utf8).write(to: URL(fileURLWithPath: "\(que)/\(Self.id(3))/tmp"))

        try s.start()
        // Accepted at once, due now: it must still wait for the overdue message found on disk.
        let live = shortID(try s.sendWorkerMessage("big", ["param1": "record", "param2": runs]))
        #expect(WorkerTests.waitUntil(timeout: 60, "both ran", {
            ((try? String(contentsOfFile: runs, encoding: .utf8)) ?? "").split(separator: "\n").count >= 2
        }))
        let ran = ((try? String(contentsOfFile: runs, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        #expect(ran.prefix(2) == [Self.id(10_001), live], "scheduling waited for the scan: \(ran)")
        let counts = try s.http("/q/big.json")
        #expect(counts.body.contains(#""que_size":10000"#), "\(counts.body)")
        #expect(s.logText().contains("\(Self.id(10_000)) skipped: unreadable msg"))
        #expect(!FileManager.default.fileExists(atPath: "\(que)/\(Self.id(3))/tmp"), "leftover removed by the scan")
        let newest = try s.rq1("queue/big/queue.sock", #"messages {"state":"que","limit":1}"#)
        #expect(newest.contains(Self.id(9_999)), "\(newest)")
    }
}
