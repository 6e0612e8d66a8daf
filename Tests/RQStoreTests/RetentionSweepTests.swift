import Foundation
import Testing
@testable import RQStore

/// The cleaner's deletion: old done/relayed/prep/acked-err messages go, in bounded steps.
@Suite struct RetentionSweepTests {
    /// Hand-placed hash-dir entries `days` days before `now` (one per minute going back).
    func placeOld(_ root: String, state: String, count: Int, before now: Double, days: Double) throws -> [String] {
        var ids: [String] = []
        for index in 0..<count {
            let time = now - days * 86_400 - Double(index * 60)
            let id = MessageTimestamp.format(time) + ".\(900_000 + index)"
            ids.append(id)
            try write(#"{"dest":"test"}"#, to: root + "/queue/test/\(state)/" + MessageID.hashPath(for: id)! + "/msg")
        }
        return ids
    }

    @Test func removesOnlyWhatIsOlderThanTheCutoffAndKeepsCountsRight() throws {
        try withTempRoot { root in
            let clock = TestClock()
            let store = try makeStore(root: root, clock: clock)
            let oldDone = try placeOld(root, state: "done", count: 30, before: clock.now, days: 5)
            _ = try placeOld(root, state: "relayed", count: 4, before: clock.now, days: 3)
            let recentDone = try placeOld(root, state: "done", count: 3, before: clock.now, days: 0.5)
            let acked = "." + MessageTimestamp.format(clock.now - 10 * 86_400) + ".77"
            let unacked = MessageTimestamp.format(clock.now - 10 * 86_400) + ".78"
            try write("{}", to: root + "/queue/test/err/\(acked)/msg")
            try write("{}", to: root + "/queue/test/err/\(unacked)/msg")
            let fresh = shortID(try store.createMessage(["dest": "test"]))
            _ = try store.moveToRun(fresh)
            try store.finish(fresh, as: .done)
            #expect(store.numMessages()["done"] == .int(34))

            let sweep = RetentionSweep(store: store, cutoff: clock.now - 2 * 86_400)
            var steps = 0
            while !sweep.step(budget: 4) { steps += 1 }
            #expect(steps > 8, "a budget of 4 needs many steps for 34 removals")
            #expect(sweep.removed == .init(done: 30, relayed: 4, prep: 0, ackedErr: 1))
            #expect(sweep.failures.isEmpty)
            #expect(store.numMessages()["done"] == .int(4))
            #expect(store.numMessages()["relayed"] == .int(0))
            for id in oldDone.prefix(3) { #expect(!exists(root + "/queue/test/done/" + MessageID.hashPath(for: id)!)) }
            for id in recentDone { #expect(exists(root + "/queue/test/done/" + MessageID.hashPath(for: id)!)) }
            #expect(exists(root + "/queue/test/err/\(unacked)"), "unacknowledged errors wait for a person")
            #expect(!exists(root + "/queue/test/err/\(acked)"))
            // Emptied day directories are gone too, not left as litter.
            let oldDay = String(MessageID.hashPath(for: oldDone[0])!.prefix(8))
            #expect(!exists(root + "/queue/test/done/" + oldDay))
        }
    }

    @Test func removesAbandonedPrepMessagesOnly() throws {
        try withTempRoot { root in
            let clock = TestClock()
            let store = try makeStore(root: root, clock: clock)
            clock.now -= 4 * 86_400
            let abandoned = shortID(try store.prepMessage(["dest": "test"]))
            clock.now += 4 * 86_400
            let current = shortID(try store.prepMessage(["dest": "test"]))
            let sweep = RetentionSweep(store: store, cutoff: clock.now - 2 * 86_400)
            sweep.step(budget: .max)
            #expect(sweep.removed.prep == 1)
            #expect(store.locate(abandoned) == nil)
            #expect(store.locate(current)?.state == .prep)
        }
    }

    @Test func manyMessagesGoInSlices() throws {
        try withTempRoot { root in
            let clock = TestClock()
            let store = try makeStore(root: root, clock: clock)
            _ = try placeOld(root, state: "done", count: 300, before: clock.now, days: 3)
            let sweep = RetentionSweep(store: store, cutoff: clock.now - 86_400)
            var steps = 1
            while !sweep.step(budget: 100) { steps += 1 }
            #expect(sweep.removed.done == 300)
            #expect(steps >= 3)
            #expect(store.numMessages()["done"] == .int(0))
        }
    }
}
