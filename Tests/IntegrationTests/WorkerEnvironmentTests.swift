import Foundation
import Testing

extension WorkerTests {
    /// What a worker process is given: script resolution, environment, cwd, fds (README §4,
    /// worker-protocol.md §6.2–6.3).
    @Suite struct Environment {
        @Test func symlinkedScriptRunsResolvedPath() throws {
            let s = try ServerFixture()
            let links = try s.scratchDirectory("links")
            let link = links + "/current.sh"
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: WorkerScripts.job)
            // Relative to the root, as the original's tests configure scripts.
            try s.createWorkerQueue("wlink", script: "./scratch/links/current.sh")
            let real = WorkerScripts.resolved(WorkerScripts.job)

            let first = shortID(try s.sendWorkerMessage("wlink", ["param1": "symlink"]))
            guard waitUntil(timeout: 8, "first done", { s.workerState("wlink", first) == "done" }) else { return }
            // `$0`, RQ_REALSCRIPT, RQ_SCRIPT.
            #expect(s.workerStatus("wlink", first) == "done - \(real)|\(real)|./scratch/links/current.sh")

            // Re-pointing the link (a deploy) takes effect for the next job.
            try FileManager.default.removeItem(atPath: link)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: WorkerScripts.other)
            let second = shortID(try s.sendWorkerMessage("wlink", ["param1": "symlink"]))
            guard waitUntil(timeout: 8, "second done", { s.workerState("wlink", second) == "done" }) else { return }
            #expect(s.workerStatus("wlink", second) == "done - other|\(WorkerScripts.resolved(WorkerScripts.other))")
        }

        @Test func environmentCwdAndDescriptors() throws {
            let s = try ServerFixture()
            let envVars = #"{"RQTESTENV1":"OWEN","RQTESTENV2":"32","RQ_MSG_ID":"hijacked","RQ_VER":"0.0.0","HOME":"/rq-test-home"}"#
            try s.createWorkerQueue("wenv", script: WorkerScripts.envDump, extra: ",\"env_vars\":\(envVars)")
            let dump = try s.scratchDirectory("env") + "/dump.json"
            let full = try s.sendWorkerMessage("wenv", ["param1": "env", "param2": dump, "param3": "with space", "src": "tester"])
            let id = shortID(full)
            guard waitUntil(timeout: 8, "done", { s.workerState("wenv", id) == "done" }) else { return }
            #expect(s.workerStatus("wenv", id) == "done - env dumped")
            let report = (try? Data(contentsOf: URL(fileURLWithPath: dump))).flatMap {
                try? JSONSerialization.jsonObject(with: $0) as? [String: Any]
            }
            guard let report, let env = report["env"] as? [String: String] else {
                Issue.record("no environment dump at \(dump)")
                return
            }
            let expected: [String: String] = [
                "RQ_VER": "3.0.0",
                "RQ_SCRIPT": WorkerScripts.envDump,
                "RQ_REALSCRIPT": WorkerScripts.resolved(WorkerScripts.envDump),
                "RQ_HOST": "\(s.baseURL)/",
                "RQ_PORT": String(s.port),
                "RQ_DEST": "\(s.baseURL)/q/wenv/",
                "RQ_DEST_QUEUE": "wenv",
                "RQ_MSG_ID": id,
                "RQ_FULL_MSG_ID": full,
                "RQ_ORIG_MSG_ID": full,
                "RQ_PIPE": "3",
                "RQ_WRITE": "3",
                "RQ_READ": "4",
                "RQ_COUNT": "0",
                "RQ_PARAM1": "env",
                "RQ_PARAM2": dump,
                "RQ_PARAM3": "with space",
                "RQ_PARAM4": "",
                "RQ_ENV": "development",
                "RQTESTENV1": "OWEN",
                "RQTESTENV2": "32",
            ]
            for (key, value) in expected.sorted(by: { $0.key < $1.key }) {
                #expect(env[key] == value, "\(key)")
            }
            #expect(env["RQ_FORCE_REMOTE"] == nil)
            // The server's own variables are passed on (shared by every spawn); `env_vars`
            // replace them, and no name reaches the script twice (a shell in between, such as
            // pyenv's `python3` shim, would fold a duplicate; ProcessSpawnerTests checks the
            // raw block with `/usr/bin/env`).
            // (pyenv's `python3` shim prepends its own directories to PATH.)
            #expect(env["PATH"]?.hasSuffix(ProcessInfo.processInfo.environment["PATH"] ?? "-") == true)
            #expect(env["HOME"] == "/rq-test-home")
            let names = report["env_names"] as? [String] ?? []
            #expect(!names.isEmpty && names.count == Set(names).count, "\(names.sorted())")

            // cwd = RQ_MSG_DIR = the job dir of the running message.
            let msgDir = env["RQ_MSG_DIR"] ?? ""
            let jobDir = "/queue/wenv/run/\(id)/job"
            #expect(msgDir == s.root + jobDir || msgDir == WorkerScripts.resolved(s.root) + jobDir, "\(msgDir)")
            #expect(report["cwd"] as? String == WorkerScripts.resolved(s.root) + jobDir)

            // fd 0 /dev/null (or closed), 1 and 2 the job's stdio.log, 3 and 4 pipes, nothing else.
            let fds = Set(report["open_fds"] as? [Int] ?? [])
            #expect(fds.subtracting([0]) == [1, 2, 3, 4], "\(fds.sorted())")
            let targets = report["fd_targets"] as? [String: Any] ?? [:]
            if fds.contains(0) { #expect(targets["0"] as? String == "/dev/null") }
            #expect((targets["1"] as? String)?.hasSuffix("/job/stdio.log") == true)
            #expect(targets["1"] as? String == targets["2"] as? String)
            #expect((targets["3"] as? String)?.hasPrefix("pipe:") == true)
            #expect((targets["4"] as? String)?.hasPrefix("pipe:") == true)
            #expect(report["nice"] as? Int == 19)
            #expect(report["own_process_group"] as? Bool == true)
        }

        @Test func forceRemoteIsExported() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wforce", script: WorkerScripts.envDump)
            let dump = try s.scratchDirectory("force") + "/dump.json"
            let id = shortID(try s.sendWorkerMessage("wforce", ["param2": dump, "force_remote": true]))
            guard waitUntil(timeout: 8, "done", { s.workerState("wforce", id) == "done" }) else { return }
            let report = (try? Data(contentsOf: URL(fileURLWithPath: dump))).flatMap {
                try? JSONSerialization.jsonObject(with: $0) as? [String: Any]
            }
            let env = report?["env"] as? [String: String]
            #expect(env?["RQ_FORCE_REMOTE"] == "1")
            #expect(env?["RQ_PARAM1"] == "")
        }
    }
}
