import Foundation
import Testing

extension WorkerTests {
    /// A server killed while scripts run: at start-up the messages found in `run/` go back to
    /// `que/` and run again (README §2), each ending in exactly one state directory.
    @Suite struct Crash {
        @Test func sigkillWhileFourRunThenRerun() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wcrash", script: WorkerScripts.job, workers: 4)
            let dir = try s.scratchDirectory("crash")
            var ids: [String] = []
            for _ in 0..<4 {
                ids.append(shortID(try s.sendWorkerMessage("wcrash", ["param1": "timeline", "param2": dir, "param3": "2"])))
            }
            guard waitUntil(timeout: 5, "four scripts started", {
                ids.allSatisfy { WorkerTests.stamps("\(dir)/\($0).start").count == 1 }
            }) else { return }
            for id in ids { #expect(s.stateDirectories("wcrash", id) == ["run/\(id)"]) }

            try s.restart(signal: SIGKILL)
            guard waitUntil(timeout: 9, "all four done after the restart", {
                ids.allSatisfy { s.workerState("wcrash", $0) == "done" }
            }) else { return }
            for id in ids {
                // Started once before the kill and once after it.
                #expect(WorkerTests.stamps("\(dir)/\(id).start").count == 2, "\(id)")
                let dirs = s.stateDirectories("wcrash", id)
                #expect(dirs.count == 1 && dirs.first?.hasPrefix("done/") == true, "\(id): \(dirs)")
                #expect(s.workerStatus("wcrash", id) == "done - slept")
            }
        }
    }
}
