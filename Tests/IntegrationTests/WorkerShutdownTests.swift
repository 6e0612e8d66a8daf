import Foundation
import Testing

extension WorkerTests {
    /// Ends of runs the script does not announce: a closed status pipe, a server shutdown.
    @Suite struct Shutdown {
        @Test func closedStatusPipeStillWaitsForExit() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wclose", script: WorkerScripts.job)
            let id = shortID(try s.sendWorkerMessage("wclose", ["param1": "closefd", "param2": "2"]))
            guard waitUntil(timeout: 5, "status recorded", { s.workerStatus("wclose", id) == "run - closed early" }) else { return }
            // fd 3 is closed but the process lives: still running.
            usleep(500_000)
            #expect(s.workerState("wclose", id) == "run")
            guard waitUntil(timeout: 6, "done after exit", { s.workerState("wclose", id) == "done" }) else { return }
            #expect(s.workerStatus("wclose", id) == "done - closed early")
        }

        @Test func sigtermStopsScriptsAndLeavesEachMessageInOneState() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wterm", script: WorkerScripts.job, workers: 2)
            let dir = try s.scratchDirectory("term")
            var ids: [String] = []
            for _ in 0..<2 {
                ids.append(shortID(try s.sendWorkerMessage("wterm", ["param1": "timeline", "param2": dir, "param3": "30"])))
            }
            guard waitUntil(timeout: 5, "two scripts started", {
                ids.allSatisfy { WorkerTests.stamps("\(dir)/\($0).start").count == 1 }
            }) else { return }
            let stopped = Date()
            s.stop(signal: SIGTERM)
            // Bounded: the scripts' process groups got SIGTERM, nothing waited for the 30 s sleeps.
            #expect(Date().timeIntervalSince(stopped) < 12)
            for id in ids {
                #expect(s.stateDirectories("wterm", id).count == 1, "\(id): \(s.stateDirectories("wterm", id))")
            }
            #expect(!FileManager.default.fileExists(atPath: s.root + "/config/queuemgr.pid"))
            // After a restart the interrupted messages run again; destroying them ends them in err.
            try s.start()
            guard waitUntil(timeout: 8, "both started again", {
                ids.allSatisfy { WorkerTests.stamps("\(dir)/\($0).start").count == 2 }
            }) else { return }
            for id in ids {
                #expect(try s.rq1("queue/wterm/queue.sock", "destroy_message {\"msg_id\":\"\(id)\"}") == #"["ok","msg destroyed"]"#)
            }
            guard waitUntil(timeout: 8, "both in err", { ids.allSatisfy { s.workerState("wterm", $0) == "err" } }) else { return }
            for id in ids { #expect(s.stateDirectories("wterm", id) == ["err/\(id)"]) }
        }
    }
}
