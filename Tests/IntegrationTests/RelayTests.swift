import Foundation
import Testing

/// Store and forward between real servers on loopback (spec relay.md): the in-loop relay
/// runner of the `relay` queue speaks the original's prep → attach → commit conversation.
@Suite(.serialized) struct RelayTests {
    /// A (the sender, relay resends immediately) and B (the receiver, queue `test` runs job.sh).
    private func pair(relayWorkers: Int = 1, retryBase: Double = 0) throws -> (ServerFixture, ServerFixture) {
        let a = try ServerFixture()
        try a.configureQueue("relay", numWorkers: relayWorkers, retryBase: retryBase)
        let b = try ServerFixture()
        try b.createDoneQueue("test")
        return (a, b)
    }

    @Test func relaysAMessageWithoutAttachments() throws {
        let (a, b) = try pair()
        let local = try a.sendRelayed(to: "\(b.baseURL)/q/test", ["--force_remote", "--param2", "second"])
        let remote = try #require(a.waitRelayed(local))
        #expect(remote.hasPrefix("\(b.baseURL)/q/test/"))
        WorkerTests.waitUntil(timeout: 20, "remote done") { b.statusOf(remote) == "ok done - arrived" }
        let copy = try #require(try b.messageJSON("test", shortID(remote)))
        #expect(copy["count"] as? Int == 1)
        #expect(copy["param2"] as? String == "second")
        #expect(copy["dest"] as? String == "\(b.baseURL)/q/test")
        #expect(copy["orig_msg_id"] as? String == (try a.messageJSON("relay", shortID(local)))?["orig_msg_id"] as? String)
        #expect(try b.http("/q/test/\(shortID(remote)).json").body.contains("force_remote") == false)
        #expect(try a.http("/q/relay/\(shortID(local)).json").body.contains("force_remote"))
        let log = a.relayLog(local)
        #expect(log.contains("FORCE REMOTE"))
        #expect(log.contains("attempting remote \(b.baseURL)/q/test"))
        #expect(!FileManager.default.fileExists(atPath: "\(a.root)/queue/relay/relayed/relay_id"))
    }

    @Test func relaysAttachmentsIncludingALargeSparseOne() throws {
        let (a, b) = try pair()
        let dir = a.root + "/files"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data("small attachment\n".utf8).write(to: URL(fileURLWithPath: dir + "/small.txt"))
        // 320 MiB, sparse: the relay streams it; memory must not hold it.
        let big = dir + "/big.bin"
        FileManager.default.createFile(atPath: big, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: big))
        try handle.truncate(atOffset: 320 << 20)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("end".utf8))
        try handle.close()
        let prep = try a.rq(["prepmesg", "--dest", "\(b.baseURL)/q/test", "--relay-ok", "--param1", "done"])
        let local = String(try #require(prep.out.split(separator: " ").last))
        for file in ["small.txt", "big.bin"] {
            let r = try a.rq(["attachmesg", "--msg_id", local, "--pathname", dir + "/" + file])
            #expect(r.out.hasPrefix("ok "), "attach \(file): \(r.out)")
        }
        #expect(try a.rq(["commitmesg", "--msg_id", local]).out.hasPrefix("ok"))
        let remote = try #require(a.waitRelayed(local, timeout: 120))
        let status = try b.rq(["attachstatusmesg", "--msg_id", remote]).out
        #expect(status.hasPrefix("ok 2"), "\(status)")
        let local5 = try a.rq(["attachstatusmesg", "--msg_id", local]).out
        for md5 in local5.split(separator: " ").filter({ $0.count == 32 }) { #expect(status.contains(md5)) }
        #expect(status.contains(String((320 << 20) + 3)))
        #expect(a.relayLog(local).contains("attempting sending attach big.bin"))
    }

    @Test func remoteDownThenUpDelivers() throws {
        // Base 1 s: attempts at 0, 1, 4, 9 … s, so B's restart falls between two of them.
        let (a, b) = try pair(retryBase: 1)
        b.stop()
        let local = try a.sendRelayed(to: "\(b.baseURL)/q/test")
        WorkerTests.waitUntil(timeout: 20, "a failed attempt") { a.relayLog(local).contains("Could not connect to or parse URL") }
        #expect(!a.statusOf(local).hasPrefix("ok relayed"))
        try b.start()
        #expect(a.waitRelayed(local) != nil)
    }

    @Test func maxCountEndsInErr() throws {
        let a = try ServerFixture()
        try a.configureQueue("relay")
        let closed = try FreePort.find()
        let local = try a.sendRelayed(to: "http://127.0.0.1:\(closed)/q/test", ["--max_count", "3"])
        #expect(a.waitErr(local) == "ok err - HIT MAX RESEND COUNT - MOVING TO ERR")
        #expect(a.relayLog(local).components(separatedBy: "attempting remote").count - 1 == 3)
    }

    @Test func remoteLostPrepStartsAgainAtPrep() throws {
        let (a, b) = try pair()
        try a.rq1("config/queuemgr.sock", "pause_queue relay")
        let local = try a.sendRelayed(to: "\(b.baseURL)/q/test")
        // The remote "lost" the message we pretend to have prepared there.
        let job = "\(a.root)/queue/relay/que/\(shortID(local))/job"
        try FileManager.default.createDirectory(atPath: job, withIntermediateDirectories: true)
        try "\(b.baseURL)/q/test/20200101.0000.00.000.1".write(toFile: job + "/relay_id", atomically: true, encoding: .utf8)
        try a.resumeQueue("relay")
        #expect(a.waitRelayed(local) != nil)
        let log = a.relayLog(local)
        #expect(log.contains("Using prior relay_id: \(b.baseURL)/q/test/20200101.0000.00.000.1"))
        #expect(log.contains("disappeared"))
        #expect(b.allMessages("test").count == 1)
    }

    @Test func scriptDupToARemoteQueueGoesThroughRelay() throws {
        let (a, b) = try pair()
        try a.createWorkerQueue("src", script: WorkerScripts.job)
        let replyFile = a.root + "/dup.reply"
        let r = try a.rq(["sendmesg", "--dest", "src", "--param1", "dup", "--param2", "\(b.baseURL)/q/test", "--param3", replyFile])
        #expect(r.out.hasPrefix("ok "))
        var relayID = ""
        WorkerTests.waitUntil(timeout: 20, "dup reply") {
            relayID = WorkerTests.readText(replyFile) ?? ""
            return !relayID.isEmpty
        }
        #expect(relayID.contains("/q/relay/"), "\(relayID)")
        let relayFull = String(relayID.split(separator: " ").last ?? "")
        #expect(a.waitRelayed(relayFull) != nil)
        WorkerTests.waitUntil(timeout: 20, "arrived on B") { b.allMessages("test").count == 1 }
    }

    @Test func severalRelaysInFlight() throws {
        let (a, b) = try pair(relayWorkers: 4)
        let ids = try (0..<12).map { _ in try a.sendRelayed(to: "\(b.baseURL)/q/test") }
        for id in ids { #expect(a.waitRelayed(id) != nil) }
        #expect(b.allMessages("test").count == 12)
    }
}
