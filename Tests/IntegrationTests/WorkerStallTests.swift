import Foundation
import Testing

extension WorkerTests {
    /// Failures around one message must not stall its queue.
    @Suite struct NoStalls {
        /// A run whose final move fails (here: `done/` replaced by a file, as a stand-in for a
        /// full or broken disk) keeps its message in run/ and is retried until the move
        /// succeeds; the queue then carries on without a restart. A slot is handed to the next
        /// message before the ended run's move (so that move is not between one script's exit
        /// and the next one's start), so the failure is known only once the next run started:
        /// that one runs, cannot finish either, and from then on the two held slots keep the
        /// rest queued (at most twice num_workers messages wait in run/).
        @Test func aFailedFinalMoveIsRetriedUntilTheDiskIsFixed() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wfix", script: WorkerScripts.job, paused: true)
            let dir = try s.scratchDirectory("fix")
            let first = shortID(try s.sendWorkerMessage("wfix", ["param1": "timeline", "param2": dir, "param3": "1"]))
            let second = shortID(try s.sendWorkerMessage("wfix", ["param1": "done"]))
            let third = shortID(try s.sendWorkerMessage("wfix", ["param1": "done"]))
            try s.resumeQueue("wfix")
            guard waitUntil(timeout: 8, "first runs", { s.workerState("wfix", first) == "run" }) else { return }

            let done = "\(s.root)/queue/wfix/done"
            try FileManager.default.moveItem(atPath: done, toPath: done + ".away")
            #expect(FileManager.default.createFile(atPath: done, contents: Data("not a directory".utf8)))
            // The second's error is logged once per interval with the first's, so its status
            // tells that its script has ended: "run - finished ok" while its move fails.
            guard waitUntil(timeout: 8, "both finishes fail", {
                s.logText().contains("cannot finish \(first)") && s.workerStatus("wfix", second) == "run - finished ok"
            }) else { return }
            Thread.sleep(forTimeInterval: 0.5)
            #expect(s.workerState("wfix", first) == "run")
            #expect(s.workerState("wfix", second) == "run")
            #expect(s.workerState("wfix", third) == "que", "num_workers 1: both unsettled runs hold a slot")

            try FileManager.default.removeItem(atPath: done)
            try FileManager.default.moveItem(atPath: done + ".away", toPath: done)
            guard waitUntil(timeout: 8, "all done", {
                [first, second, third].allSatisfy { s.workerState("wfix", $0) == "done" }
            }) else { return }
            #expect(s.workerStatus("wfix", first) == "done - slept")
            for id in [first, second, third] { #expect(s.stateDirectories("wfix", id).count == 1) }
        }
    
        /// A queued message whose msg became unreadable, or whose directory was removed by
        /// hand, must not be picked first on every pass and stall the queue.
        @Test func unstartableMessagesAreSetAsideAndTheQueueGoesOn() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wbad", script: WorkerScripts.job, paused: true)
            let corrupt = shortID(try s.sendWorkerMessage("wbad", ["param1": "done"]))
            let removed = shortID(try s.sendWorkerMessage("wbad", ["param1": "done"]))
            let good = shortID(try s.sendWorkerMessage("wbad", ["param1": "done"]))
            try Data("{ not json".utf8).write(to: URL(fileURLWithPath: "\(s.root)/queue/wbad/que/\(corrupt)/msg"))
            try FileManager.default.removeItem(atPath: "\(s.root)/queue/wbad/que/\(removed)")
            try s.resumeQueue("wbad")
            guard waitUntil(timeout: 8, "good one done", { s.workerState("wbad", good) == "done" }) else { return }
            #expect(s.workerState("wbad", corrupt) == "err")
            #expect(s.workerStatus("wbad", corrupt) == "err - msg couldn't be read - MOVED TO ERR")
            #expect(s.workerState("wbad", removed) == nil)
            let counts = parseJSON(try s.rq1("queue/wbad/queue.sock", "num_messages ")) as? [String: Any]
            #expect(counts?["que"] as? Int == 0 && counts?["run"] as? Int == 0, "\(String(describing: counts))")
        }
    }
}
