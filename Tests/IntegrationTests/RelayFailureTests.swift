import Foundation
import Testing

/// Relay against receivers that misbehave (python3 peers in Scripts/relay_peer.py) and bad
/// input: every case ends with a clear reason in the message's log and status, and the relay
/// queue keeps serving other messages meanwhile.
@Suite(.serialized) struct RelayFailureTests {
    /// A sender whose relay queue resends at once, gives up fast on silent peers, runs two at a time.
    private func sender(timeout: Double = 1) throws -> ServerFixture {
        let a = try ServerFixture()
        try a.configureQueue("relay", numWorkers: 2, extra: "")
        try a.setRelayTimeout(timeout)
        return a
    }

    private func relayToPeer(_ mode: String, attach: Bool = false, maxCount: Int = 2, timeout: Double = 1) throws -> (ServerFixture, RelayPeer, String) {
        let a = try sender(timeout: timeout)
        let peer = try RelayPeer(mode: mode)
        let dest = "\(peer.baseURL)/q/test"
        guard attach else { return (a, peer, try a.sendRelayed(to: dest, ["--max_count", String(maxCount)])) }
        let file = a.root + "/payload.txt"
        try "payload\n".write(toFile: file, atomically: true, encoding: .utf8)
        let prep = try a.rq(["prepmesg", "--dest", dest, "--relay-ok", "--param1", "done", "--max_count", String(maxCount)])
        let local = String(prep.out.split(separator: " ").last ?? "")
        _ = try a.rq(["attachmesg", "--msg_id", local, "--pathname", file])
        _ = try a.rq(["commitmesg", "--msg_id", local])
        return (a, peer, local)
    }

    @Test func aReceiverLyingAboutTheMD5EndsInErr() throws {
        let (a, peer, local) = try relayToPeer("lie-md5", attach: true)
        #expect(a.waitErr(local) == "ok err - HIT MAX RESEND COUNT - MOVING TO ERR")
        #expect(a.relayLog(local).contains("md5 mismatch"))
        #expect(!peer.requests().contains { ($0["path"] as? String ?? "").hasSuffix("/q/test/20261201.0508.31.123.1") && ($0["fields"] as? [String: String])?["_method"] == "commit" })
    }

    @Test func aReceiverAnswering500IsRetriedThenErr() throws {
        let (a, peer, local) = try relayToPeer("500", maxCount: 3)
        #expect(a.waitErr(local) == "ok err - HIT MAX RESEND COUNT - MOVING TO ERR")
        #expect(peer.requests().count == 3)
        #expect(a.relayLog(local).contains("HTTP 500"))
    }

    /// The remote id from the first attempt's prep is kept in `job/relay_id` (written, synced
    /// by the group commit, then the commit is sent) and every later attempt commits that same
    /// copy instead of preparing another.
    @Test func aFailedCommitIsRetriedOnTheSamePreparedCopy() throws {
        let (a, peer, local) = try relayToPeer("commit-500", maxCount: 3)
        #expect(a.waitErr(local) == "ok err - HIT MAX RESEND COUNT - MOVING TO ERR")
        let requests = peer.requests()
        let preps = requests.filter { ($0["path"] as? String ?? "").hasSuffix("/new_message") }
        let commits = requests.filter { ($0["fields"] as? [String: String])?["_method"] == "commit" }
        #expect(preps.count == 1, "\(requests)")
        #expect(commits.count == 3)
        #expect(Set(commits.compactMap { $0["path"] as? String }).count == 1, "one prepared copy, committed three times")
        let log = a.relayLog(local)
        #expect(log.contains("Now using relay_id:"))
        #expect(log.components(separatedBy: "Using prior relay_id:").count - 1 == 2, "\(log)")
    }

    @Test func aSilentReceiverTimesOutWhileOthersAreServed() throws {
        let (a, peer, local) = try relayToPeer("silent", maxCount: 3)
        let b = try ServerFixture()
        try b.createDoneQueue("test")
        let other = try a.sendRelayed(to: "\(b.baseURL)/q/test")
        #expect(a.waitRelayed(other, timeout: 10) != nil)
        #expect(!a.statusOf(local).hasPrefix("ok relayed"))
        #expect(a.waitErr(local) == "ok err - HIT MAX RESEND COUNT - MOVING TO ERR")
        #expect(a.relayLog(local).contains("timed out"), "\(a.relayLog(local))")
        #expect(peer.requests().count == 3)
    }

    @Test func aPeerThatIsNotRQ() throws {
        let (a, peer, local) = try relayToPeer("html")
        let status = a.waitErr(local)
        #expect(status.hasPrefix("ok err - BAD JSON - the remote is not an RQ server: <html>"), "\(status)")
        #expect(a.relayLog(local).contains("Could not parse JSON"))
        #expect(peer.requests().count == 1)
    }

    @Test func aRedirectLoopIsNotFollowed() throws {
        let (a, peer, local) = try relayToPeer("redirect")
        let status = a.waitErr(local)
        #expect(status.contains("redirect"), "\(status)")
        #expect(peer.requests().count == 1)
    }

    @Test func aHugeResponseIsRefused() throws {
        // A generous timeout: 16 MiB must arrive before the limit trips, even on a busy machine.
        let (a, peer, local) = try relayToPeer("huge", timeout: 20)
        let status = a.waitErr(local)
        #expect(status.contains("response larger than"), "\(status) \(a.relayLog(local))")
        #expect(peer.requests().count == 1)
    }

    @Test func aMalformedDestURL() throws {
        let a = try sender()
        let local = try a.sendRelayed(to: "http://no-port-here:notaport/q/test")
        #expect(a.waitErr(local) == "ok err - Bad dest URL (bad port): http://no-port-here:notaport/q/test")
        let other = try a.sendRelayed(to: "http:/q/test")
        #expect(a.waitErr(other).hasPrefix("ok err - Bad dest URL"))
    }

    @Test func anUnknownRemoteQueue() throws {
        let a = try sender()
        let b = try ServerFixture()
        let local = try a.sendRelayed(to: "\(b.baseURL)/q/no_such_queue")
        let status = a.waitErr(local)
        #expect(status.hasPrefix("ok err - Couldn't queue message: HTTP 404"), "\(status)")
        #expect(a.relayLog(local).contains("attempting remote \(b.baseURL)/q/no_such_queue"))
    }
}

extension ServerFixture {
    /// Sets the relay's HTTP timeout (queue env var `RQ_HTTP_TIMEOUT_SECONDS`) and restarts.
    func setRelayTimeout(_ seconds: Double) throws {
        let path = "\(root)/queue/relay/config.json"
        var config = try #require(parseJSON(String(contentsOfFile: path, encoding: .utf8)) as? [String: Any])
        var env = config["env_vars"] as? [String: Any] ?? [:]
        env["RQ_HTTP_TIMEOUT_SECONDS"] = String(seconds)
        config["env_vars"] = env
        stop()
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: path))
        try start()
    }
}
