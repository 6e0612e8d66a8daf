import Foundation
import Testing

extension WorkerTests {
    /// The two-way `dup` request on fd 3 and its reply on fd 4 (worker-protocol.md §6.4.1).
    @Suite struct Dup {
        @Test func dupToLocalQueueCarriesAttachment() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("dupsrc", script: WorkerScripts.job)
            try s.createWorkerQueue("duptgt", script: WorkerScripts.job, paused: true)
            let scratch = try s.scratchDirectory("dup")
            let replyFile = scratch + "/reply"
            let file = scratch + "/payload.bin"
            try Data((0..<50_000).map { UInt8(($0 * 13) % 256) }).write(to: URL(fileURLWithPath: file))
            let md5 = String(try Command.run("/usr/bin/md5sum", [file]).stdout.prefix(32))

            // prep, attach, commit through the CLI, so the message has the attachment when it runs.
            let prep = try s.rq(["prepmesg", "--dest", "dupsrc", "--param1", "dup", "--param2", "duptgt", "--param3", replyFile])
            #expect(prep.status == 0, "\(prep.out)")
            let full = String(prep.out.dropFirst(3))
            let attach = try s.rq(["attachmesg", "--msg_id", full, "--pathname", file])
            #expect(attach.out.hasPrefix("ok \(md5)-Attached successfully"), "\(attach.out)")
            #expect(try s.rq(["commitmesg", "--msg_id", full]).out == "ok msg commited")
            let id = shortID(full)

            guard waitUntil(timeout: 8, "source done", { s.workerState("dupsrc", id) == "done" }) else { return }
            #expect(s.workerStatus("dupsrc", id) == "done - dup replied")
            let reply = WorkerTests.readText(replyFile) ?? ""
            let prefix = "ok \(s.baseURL)/q/duptgt/"
            #expect(reply.hasPrefix(prefix), "\(reply)")
            guard reply.hasPrefix(prefix) else { return }
            let newID = String(reply.dropFirst(prefix.count))

            let copy = try s.messageJSON("duptgt", newID)
            #expect(copy?["state"] as? String == "que")
            #expect(copy?["dest"] as? String == "duptgt")
            #expect(copy?["count"] as? Int == 0)
            #expect(copy?["orig_msg_id"] as? String == full)
            #expect(copy?["param1"] as? String == "dup")
            let attachments = copy?["_attachments"] as? [String: Any]
            let info = attachments?["payload.bin"] as? [String: Any]
            #expect(info?["md5"] as? String == md5)
            #expect(info?["size"] as? Int == 50_000)
            let download = try s.curl(["-o", scratch + "/downloaded", "-w", "%{http_code}", "\(s.baseURL)/q/duptgt/\(newID)/attach/payload.bin"])
            #expect(download.stdout == "200")
            #expect(String(try Command.run("/usr/bin/md5sum", [scratch + "/downloaded"]).stdout.prefix(32)) == md5)
        }

        @Test func dupToMissingQueueFails() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("dupmiss", script: WorkerScripts.job)
            let replyFile = try s.scratchDirectory("dupmiss") + "/reply"
            let id = shortID(try s.sendWorkerMessage("dupmiss", ["param1": "dup", "param2": "nope_this_q_does_not_exist", "param3": replyFile]))
            guard waitUntil(timeout: 8, "done", { s.workerState("dupmiss", id) == "done" }) else { return }
            #expect(WorkerTests.readText(replyFile) == "fail couldn't connect to queue - nope_this_q_does_not_exist")
            #expect(s.workerStatus("dupmiss", id) == "done - dup replied")
            #expect(try s.http("/").body.contains("QUEUE MGR is OPERATIONAL"))
        }
    }
}
