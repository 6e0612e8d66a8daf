import RQStore
import Testing
@testable import RQServer

@Suite struct WebhookCallTests {
    private func hookMessage(url: String, finished: String = #"{"msg_id":"http://me/q/test/1","src":"s","param1":"p","orig_msg_id":"o","state":"done","due":5}"#) -> Message {
        Message(msgID: "20261201.0500.00.001.1", dest: "webhook", origMsgID: "x", params: [.string(url), .string(finished), nil, nil], due: 0)
    }

    @Test func requestCarriesTheFinishedMessagesKeysAndTheDestPath() throws {
        let request = try WebhookCall.request(for: hookMessage(url: "http://h:3333/q/foo/new_message"))
        #expect(request.url == "http://h:3333/q/foo/new_message")
        #expect(request.body == .form([.init(name: "x_format", value: "json"),
                                       .init(name: "mesg", value: #"{"src":"s","param1":"p","orig_msg_id":"o","dest":"/q/foo"}"#)]))
        #expect(WebhookCall.destPath(of: "http://h/hook") == "")
        #expect(WebhookCall.destPath(of: "http://h") == "")
        #expect(WebhookCall.destPath(of: "http://h/a/b/c?x=/y") == "/a/b")
    }

    @Test func badURLsAreRefused() {
        #expect(throws: WebhookCall.Problem.badURL("ftp://h/x")) { try WebhookCall.request(for: hookMessage(url: "ftp://h/x")) }
        #expect(throws: WebhookCall.Problem.badURL("")) { try WebhookCall.request(for: hookMessage(url: "")) }
        #expect(throws: WebhookCall.Problem.badURL("http://")) { try WebhookCall.request(for: hookMessage(url: "http://")) }
    }

    @Test func answersBecomeStatusLines() {
        let backoff = RetryBackoff(baseSeconds: 60)
        func line(_ reply: RelayReply, count: Int = 2) -> String {
            WebhookCall.statusLine(for: reply, url: "http://h/x", count: count, backoff: backoff, jitter: 0)
        }
        #expect(line(.response(status: 200, body: "")) == "done successfull post 200")
        #expect(line(.response(status: 204, body: "")) == "done successfull post 204")
        #expect(line(.response(status: 500, body: "oops")) == "resend 240-Could not POST to URL: HTTP 500 oops")
        #expect(line(.unreachable("refused"), count: 0) == "resend 0-Could not connect to or parse URL: http://h/x")
        #expect(line(.unusable("redirect")) == "resend 240-Could not connect to or parse URL: http://h/x")
    }

    @Test func finishedMessagesMakeOneWebhookMessagePerURL() throws {
        var finished = Message(msgID: "20261201.0500.00.001.1", dest: "test", origMsgID: "o", due: 0)
        #expect(WebhookMessages.inputs(for: finished, fullID: "http://me/q/test/20261201.0500.00.001.1", state: "done").isEmpty)
        finished.postRunWebhook = ["http://a/q/x/new_message", "http://b/hook"]
        let inputs = WebhookMessages.inputs(for: finished, fullID: "http://me/q/test/20261201.0500.00.001.1", state: "err")
        #expect(inputs.map { $0["param1"] } == ["http://a/q/x/new_message", "http://b/hook"])
        #expect(inputs.allSatisfy { $0["dest"] == "webhook" })
        let json = try JSONValue.parse(inputs[0]["param2"]?.stringValue ?? "")
        #expect(json["msg_id"] == "http://me/q/test/20261201.0500.00.001.1")
        #expect(json["state"] == "err")
    }
}
