import Foundation
import Testing

/// `post_run_webhook`: a finished message makes one `webhook` queue message per URL, which
/// the server POSTs (worker-protocol.md §6.9, reference relay.md §7.6).
@Suite(.serialized) struct WebhookTests {
    private func server() throws -> ServerFixture {
        let a = try ServerFixture()
        try a.configureQueue("webhook")
        try a.createDoneQueue("test")
        return a
    }

    private func post(_ a: ServerFixture, hook: String, param1: String) throws -> String {
        let mesg = #"{"dest":"test","src":"tester","param1":"\#(param1)","post_run_webhook":["\#(hook)"]}"#
        let r = try a.postMessage("test", mesg)
        #expect(r.status == 200, "\(r.body)")
        return r.body
    }

    @Test func aFinishedMessageIsPostedToItsWebhook() throws {
        let a = try server()
        let peer = try RelayPeer(mode: "hook")
        _ = try post(a, hook: "\(peer.baseURL)/q/foo/new_message", param1: "first")
        WorkerTests.waitUntil(timeout: 20, "webhook POST") { peer.requests().count == 1 }
        let request = try #require(peer.requests().first)
        #expect(request["path"] as? String == "/q/foo/new_message")
        let fields = try #require(request["fields"] as? [String: String])
        #expect(fields["x_format"] == "json")
        let mesg = try #require(parseJSON(fields["mesg"] ?? "") as? [String: Any])
        #expect(mesg["dest"] as? String == "/q/foo")
        #expect(mesg["param1"] as? String == "first")
        #expect(mesg["src"] as? String == "tester")
        #expect((mesg["orig_msg_id"] as? String)?.contains("/q/test/") == true)
        WorkerTests.waitUntil(timeout: 10, "webhook message done") { a.messageIDs("webhook", "done").count == 1 }
        let hookID = try #require(a.messageIDs("webhook", "done").first)
        #expect(try a.rq(["statusmesg", "--msg_id", "\(a.baseURL)/q/webhook/\(hookID)"]).out == "ok done - successfull post 200")
    }

    @Test func failedPostsAreRetried() throws {
        let a = try server()
        let peer = try RelayPeer(mode: "hook-flaky")
        _ = try post(a, hook: "\(peer.baseURL)/hook", param1: "again")
        WorkerTests.waitUntil(timeout: 20, "third POST") { peer.requests().count == 3 }
        WorkerTests.waitUntil(timeout: 10, "webhook message done") { a.messageIDs("webhook", "done").count == 1 }
        #expect(peer.requests().count == 3)
    }

    @Test func anUnreachableWebhookEndsInErrAfterMaxCount() throws {
        let a = try server()
        let closed = try FreePort.find()
        _ = try post(a, hook: "http://127.0.0.1:\(closed)/hook", param1: "nobody")
        WorkerTests.waitUntil(timeout: 30, "webhook message err") { a.messageIDs("webhook", "err").count == 1 }
    }
}
