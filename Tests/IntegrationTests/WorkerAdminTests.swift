import Foundation
import Testing

extension WorkerTests {
    /// Admin markers and oper status gate the workers (README §3, queue-config.md §2.5). The
    /// markers are made and removed by hand, as operators and the original's tests do; a
    /// status query alone must notice.
    @Suite struct Admin {
        @Test func pauseHoldsMessagesUntilMarkerRemoved() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wpause", script: WorkerScripts.job, paused: true)
            let ids = try (0..<2).map { _ in shortID(try s.sendWorkerMessage("wpause", ["param1": "done"])) }
            usleep(300_000)
            let held = try s.http("/q/wpause.txt").body
            #expect(held.contains("status: PAUSE"), "\(held)")
            #expect(held.contains("que: 2"), "\(held)")
            #expect(held.contains("run: 0"), "\(held)")
            for id in ids { #expect(s.workerState("wpause", id) == "que") }

            try FileManager.default.removeItem(atPath: "\(s.root)/config/wpause.pause")
            // The status query is the kick: no other request is sent until the messages are done.
            #expect(try s.http("/q/wpause.txt").body.contains("status: UP"))
            guard waitUntil(timeout: 4, "both done", { ids.allSatisfy { s.stateDirectories("wpause", $0).first?.hasPrefix("done/") == true } }) else { return }
            for id in ids { #expect(s.workerStatus("wpause", id) == "done - finished ok") }
        }

        @Test func downRefusesAndRunsNothing() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wdown", script: WorkerScripts.job, paused: true)
            let id = shortID(try s.sendWorkerMessage("wdown", ["param1": "done"]))
            FileManager.default.createFile(atPath: "\(s.root)/config/wdown.down", contents: nil)
            #expect(s.queueStatus("wdown") == "DOWN")
            let cli = try s.rq(["sendmesg", "--dest", "wdown", "--param1", "done"])
            #expect(cli.out == "fail status: DOWN")
            #expect(cli.status == 1)
            #expect(try s.postMessage("wdown", #"{"dest":"wdown","param1":"done"}"#).status == 503)
            #expect(try s.rq1("queue/wdown/queue.sock", #"create_message {"dest":"wdown"}"#) == #"["fail","status: DOWN"]"#)

            // Still DOWN without the pause marker: the queued message stays put.
            try FileManager.default.removeItem(atPath: "\(s.root)/config/wdown.pause")
            #expect(s.queueStatus("wdown") == "DOWN")
            usleep(500_000)
            #expect(s.stateDirectories("wdown", id) == ["que/\(id)"])

            try FileManager.default.removeItem(atPath: "\(s.root)/config/wdown.down")
            #expect(s.queueStatus("wdown") == "UP")
            guard waitUntil(timeout: 4, "done", { s.workerState("wdown", id) == "done" }) else { return }
            #expect(s.workerStatus("wdown", id) == "done - finished ok")
            // Only the message sent before DOWN exists.
            #expect(try s.http("/q/wdown.txt").body.contains("done: 1"))
        }

        @Test func missingScriptIsScriptErrorUntilCreated() throws {
            let s = try ServerFixture()
            let script = try s.scratchDirectory("later") + "/later.sh"
            try s.createWorkerQueue("wlater", script: script)
            let id = shortID(try s.sendWorkerMessage("wlater", ["param1": "done"]))
            guard waitUntil(timeout: 4, "SCRIPTERROR", { s.queueStatus("wlater") == "SCRIPTERROR" }) else { return }
            #expect(try s.http("/q/wlater.txt").body.contains("status: SCRIPTERROR"))
            #expect(s.workerState("wlater", id) != "done")

            // Present but not executable: still an error.
            try "#!/bin/sh\necho \"done later\" >&3\n".write(toFile: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: script)
            for _ in 0..<4 {
                #expect(s.queueStatus("wlater") == "SCRIPTERROR")
                usleep(50_000)
            }
            #expect(s.workerState("wlater", id) != "done")

            // Executable: the next status query finds it and the message runs.
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
            guard waitUntil(timeout: 8, "done after the script appeared", {
                _ = s.queueStatus("wlater")
                return s.workerState("wlater", id) == "done"
            }) else { return }
            #expect(s.workerStatus("wlater", id) == "done - later")
            #expect(s.queueStatus("wlater") == "UP")
        }
    }
}
