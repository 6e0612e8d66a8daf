import Foundation
import Testing

extension WorkerTests {
    /// How a script's status lines and exit decide the final state (worker-protocol.md §6.4–6.5).
    @Suite struct Completion {
        @Test func doneGoesToHashDirWithStdioLog() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wdone", script: WorkerScripts.job)
            let full = try s.sendWorkerMessage("wdone", ["param1": "done"])
            let id = shortID(full)
            guard waitUntil(timeout: 8, "done", { s.workerState("wdone", id) == "done" }) else { return }
            #expect(s.workerStatus("wdone", id) == "done - finished ok")
            #expect(try s.rq(["statusmesg", "--msg_id", full]).out == "ok done - finished ok")

            let dirs = s.stateDirectories("wdone", id)
            #expect(dirs.count == 1, "\(dirs)")
            let parts = dirs.first?.split(separator: "/") ?? []
            // done/YYYYMMDD/HH/MM/<id>
            #expect(parts.count == 5 && parts.first == "done", "\(dirs)")
            guard dirs.count == 1, let dir = dirs.first else { return }

            let log = try String(contentsOfFile: "\(s.root)/queue/wdone/\(dir)/job/stdio.log", encoding: .utf8)
            let lines = log.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            let header = lines.first ?? ""
            let headerParts = header.components(separatedBy: " - ")
            // `<pid> - <time> - RQ START - <resolved script>` comes before anything the script prints.
            #expect(headerParts.count == 4, "\(header)")
            #expect(Int(headerParts.first ?? "") != nil, "\(header)")
            #expect(header.hasSuffix(" - RQ START - \(WorkerScripts.resolved(WorkerScripts.job))"), "\(header)")
            #expect(lines.contains("stdout line of \(id)"))
            #expect(lines.contains("stderr line of \(id)"))
            #expect(log.components(separatedBy: "RQ START").count == 2, "one run, one header")

            let web = try s.http("/q/wdone/\(id)/log/stdio.log")
            #expect(web.status == 200)
            #expect(web.body == log)
            #expect(try s.http("/q/wdone/\(id)/log/nope.log").status == 404)
        }

        @Test func errLineEndsInErr() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("werr", script: WorkerScripts.job)
            let id = shortID(try s.sendWorkerMessage("werr", ["param1": "err"]))
            guard waitUntil(timeout: 8, "err", { s.workerState("werr", id) == "err" }) else { return }
            #expect(s.workerStatus("werr", id) == "err - by design")
            #expect(s.stateDirectories("werr", id) == ["err/\(id)"])
        }

        @Test func nonZeroExitOverridesDone() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wexit", script: WorkerScripts.job)
            let pidFile = try s.scratchDirectory("exit") + "/pid"
            let id = shortID(try s.sendWorkerMessage("wexit", ["param1": "sneaky", "param2": pidFile]))
            guard waitUntil(timeout: 8, "err", { s.workerState("wexit", id) == "err" }) else { return }
            let status = s.workerStatus("wexit", id) ?? ""
            let prefix = "err - PROCESS EXITED IMPROPERLY - MOVING TO ERR - Completion was done but exit status was "
            #expect(status.hasPrefix(prefix), "\(status)")
            // README §4 writes the exit status as `<n>`; the original wrote Ruby's `pid <pid> exit <n>`.
            let pid = WorkerTests.readText(pidFile) ?? "?"
            let described = String(status.dropFirst(prefix.count))
            #expect(described == "3" || described == "pid \(pid) exit 3", "\(status)")
            #expect(s.stateDirectories("wexit", id) == ["err/\(id)"])
        }

        @Test func exitZeroWithoutFinalStatusIsErr() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wsilent", script: WorkerScripts.job)
            let id = shortID(try s.sendWorkerMessage("wsilent", ["param1": "silent"]))
            guard waitUntil(timeout: 8, "err", { s.workerState("wsilent", id) == "err" }) else { return }
            #expect(s.workerStatus("wsilent", id) == "err - only progress")
        }

        @Test func splitLinesAndUnterminatedLastLine() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wsplit", script: WorkerScripts.job)
            let id = shortID(try s.sendWorkerMessage("wsplit", ["param1": "split"]))
            guard waitUntil(timeout: 8, "done", { s.workerState("wsplit", id) == "done" }) else { return }
            #expect(s.workerStatus("wsplit", id) == "done - joined at last")
        }

        @Test func resendRequeuesWithDueAndCount() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wresend", script: WorkerScripts.job)
            let runs = try s.scratchDirectory("resend") + "/runs"
            let sent = WorkerTests.now()
            let id = shortID(try s.sendWorkerMessage("wresend", ["param1": "resend", "param2": runs]))
            // Back in que after the first run, due ~2 s later, count 1.
            guard waitUntil(timeout: 8, "first run requeued", {
                WorkerTests.stamps(runs).count == 1 && s.workerState("wresend", id) == "que"
            }) else { return }
            let queued = try s.messageJSON("wresend", id)
            #expect(queued?["count"] as? Int == 1)
            let due = queued?["due"] as? Int ?? 0
            #expect(Double(due) >= sent.rounded(.down) + 1, "due \(due), sent \(sent)")
            #expect(Double(due) <= WorkerTests.now() + 3, "due \(due)")
            #expect(s.workerStatus("wresend", id) == "que - 2-try again later")

            guard waitUntil(timeout: 8, "second run done", { s.workerState("wresend", id) == "done" }) else { return }
            #expect(s.workerStatus("wresend", id) == "done - second run")
            #expect(try s.rq(["statuscountmesg", "--msg_id", "\(s.baseURL)/q/wresend/\(id)"]).out == "ok 1")
            let times = WorkerTests.stamps(runs)
            #expect(times.count == 2)
            if times.count == 2 {
                // Not before its due second: at least one full second after the first run.
                #expect(times[1] - times[0] >= 1.0, "\(times)")
            }
        }

        @Test func maxCountEndsInErr() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wmax", script: WorkerScripts.job)
            let id = shortID(try s.sendWorkerMessage("wmax", ["param1": "resend_always", "count": 2, "max_count": 3]))
            guard waitUntil(timeout: 8, "err", { s.workerState("wmax", id) == "err" }) else { return }
            #expect(s.workerStatus("wmax", id) == "err - HIT MAX RESEND COUNT - MOVING TO ERR")
            #expect(try s.messageJSON("wmax", id)?["count"] as? Int == 3)
            #expect(s.stateDirectories("wmax", id) == ["err/\(id)"])
        }
    }
}
