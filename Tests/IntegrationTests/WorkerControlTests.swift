import Foundation
import Testing

extension WorkerTests {
    /// Stopping workers from outside, and workers that misbehave. The `hang` script sleeps in a
    /// child process that inherits the status pipe, so these pass only when the server signals
    /// the worker's whole process group (DESIGN.md: each worker gets its own group).
    @Suite struct Control {
        @Test func destroyOverHTTPAndRq1EndsInErr() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wkill", script: WorkerScripts.job, workers: 2)
            let web = shortID(try s.sendWorkerMessage("wkill", ["param1": "hang"]))
            let socket = shortID(try s.sendWorkerMessage("wkill", ["param1": "hang"]))
            guard waitUntil(timeout: 8, "both running", {
                [web, socket].allSatisfy { s.workerStatus("wkill", $0) == "run - sleeping" }
            }) else { return }

            // A running message cannot be deleted, only destroyed.
            #expect(try s.rq1("queue/wkill/queue.sock", "delete_message {\"msg_id\":\"\(web)\"}").hasPrefix(#"["fail""#))
            let started = Date()
            let reply = try s.http("/q/wkill/\(web)", ["--data", "_method=destroy&x_format=json"])
            #expect(reply.body == #"["ok","msg destroyed"]"#)
            #expect(try s.rq1("queue/wkill/queue.sock", "destroy_message {\"msg_id\":\"\(socket)\"}") == #"["ok","msg destroyed"]"#)
            guard waitUntil(timeout: 5, "both in err", {
                [web, socket].allSatisfy { s.workerState("wkill", $0) == "err" }
            }) else { return }
            #expect(Date().timeIntervalSince(started) < 3)
            for id in [web, socket] {
                let status = s.workerStatus("wkill", id) ?? ""
                #expect(status.hasPrefix("err - PROCESS EXITED IMPROPERLY - MOVING TO ERR - Completion was none but exit status was pid "), "\(status)")
                #expect(s.stateDirectories("wkill", id) == ["err/\(id)"])
            }
        }

        @Test func queueTimeoutKillsAHangingScript() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wtime", script: WorkerScripts.job, extra: ",\"timeout\":1")
            let started = Date()
            let id = shortID(try s.sendWorkerMessage("wtime", ["param1": "hang"]))
            guard waitUntil(timeout: 8, "err after the timeout", { s.workerState("wtime", id) == "err" }) else { return }
            let elapsed = Date().timeIntervalSince(started)
            #expect(elapsed >= 0.9 && elapsed < 5, "\(elapsed) s")
            let status = s.workerStatus("wtime", id) ?? ""
            #expect(status.hasPrefix("err - "), "\(status)")
            // Says why: a timeout, not just "exited improperly".
            let text = status.lowercased()
            #expect(text.contains("timeout") || text.contains("timed out"), "\(status)")
        }

        @Test func statusFloodDoesNotHurtTheServer() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wflood", script: WorkerScripts.job)
            let id = shortID(try s.sendWorkerMessage("wflood", ["param1": "flood"]))
            // Time requests to the server while the flood goes on.
            var slowest = 0.0
            var requests = 0
            guard try waitUntil(timeout: 9, "flood done", {
                let t = Date()
                let page = try s.http("/q/wflood.json")
                slowest = max(slowest, Date().timeIntervalSince(t))
                requests += 1
                #expect(page.status == 200)
                return s.workerState("wflood", id) == "done"
            }) else { return }
            #expect(slowest < 1.5, "slowest of \(requests) requests took \(slowest) s")
            #expect(s.workerStatus("wflood", id) == "done - flood over")
            #expect(s.process?.isRunning == true)
            // And it still runs the next message normally.
            let next = shortID(try s.sendWorkerMessage("wflood", ["param1": "done"]))
            guard waitUntil(timeout: 5, "next done", { s.workerState("wflood", next) == "done" }) else { return }
            #expect(s.workerStatus("wflood", next) == "done - finished ok")
        }
    }
}
