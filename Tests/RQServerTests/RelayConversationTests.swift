import RQStore
import Testing
@testable import RQServer

@Suite struct RelayConversationTests {
    static let remoteID = "http://10.0.0.2:3333/q/test/20261201.0508.31.123.7"
    static let dest = "http://127.0.0.1:4444/q/test"

    private func conversation(attachments: [RelayAttachment] = [], remembered: String? = nil,
                              forceRemote: Bool = false) -> RelayConversation {
        var message = Message(msgID: "20261201.0500.00.001.1", dest: Self.dest, origMsgID: "http://me/q/relay/x",
                              count: 2, maxCount: 9, src: "tester", params: ["a", nil, 3, nil],
                              postRunWebhook: ["http://hook/q/w/new_message"], due: 0)
        if forceRemote { message.forceRemote = true }
        return RelayConversation(remote: try! RemoteQueueURL.parse(Self.dest), message: message,
                                 attachments: attachments, rememberedID: remembered)
    }

    private let twoFiles = [RelayAttachment(name: "a.txt", path: "/x/attach/a.txt", md5: "aaaa"),
                            RelayAttachment(name: "b.bin", path: "/x/attach/b.bin", md5: "bbbb")]
    private let okPrep = RelayReply.response(status: 200, body: #"["ok","\#(remoteID)"]"#)
    private let okCommit = RelayReply.response(status: 200, body: #"["ok","msg committed"]"#)
    private let lost = RelayReply.response(status: 200, body: #"["fail","cannot find message"]"#)
    private func attached(_ md5: String) -> RelayReply { .response(status: 200, body: #"["ok","\#(md5)-Attached successfully"]"#) }

    @Test func prepRequestCarriesTheOriginalsKeysAndNoForceRemote() {
        let c = conversation(forceRemote: true)
        let (request, announce) = c.request()
        #expect(request.url == "http://127.0.0.1:4444/q/test/new_message")
        #expect(announce == ["attempting remote http://127.0.0.1:4444/q/test"])
        guard case .form(let fields) = request.body else { Issue.record("not a form"); return }
        #expect(fields.map(\.name) == ["x_format", "mesg"])
        #expect(fields[0].value == "json")
        #expect(fields[1].value == #"{"dest":"http://127.0.0.1:4444/q/test","src":"tester","count":3,"max_count":9,"param1":"a","param3":3,"post_run_webhook":["http://hook/q/w/new_message"],"orig_msg_id":"http://me/q/relay/x","_method":"prep"}"#)
        #expect(!fields[1].value.contains("force_remote"))
        #expect(c.openingLines == ["dest - \(Self.dest)", "FORCE REMOTE"])
    }

    @Test func happyPathWithoutAttachments() {
        var c = conversation()
        #expect(c.handle(okPrep) == .init(effects: [.rememberRemoteID(Self.remoteID), .log("Now using relay_id: \(Self.remoteID)")]))
        let (commit, _) = c.request()
        #expect(commit.url == "http://127.0.0.1:4444/q/test/20261201.0508.31.123.7")
        #expect(commit.body == .form([.init(name: "x_format", value: "json"), .init(name: "_method", value: "commit"),
                                      .init(name: "msg_id", value: "20261201.0508.31.123.7")]))
        let end = c.handle(okCommit)
        #expect(end.outcome == .relayed(remoteFullID: Self.remoteID))
        #expect(end.effects.first == .forgetRemoteID)
    }

    @Test func attachmentsGoOneByOneToTheDestHostThenCommit() {
        var c = conversation(attachments: twoFiles)
        _ = c.handle(okPrep)
        let (first, announce) = c.request()
        #expect(announce == ["attempting sending attach", "attempting sending attach a.txt"])
        #expect(first.url == "http://127.0.0.1:4444/q/test/20261201.0508.31.123.7/attach/new")
        #expect(first.body == .multipart([.init(name: "x_format", value: "json"), .init(name: "pathname", value: "a.txt"),
                                          .init(name: "msg_id", value: "20261201.0508.31.123.7")],
                                         .init(fieldName: "filedata", filename: "a.txt", path: "/x/attach/a.txt")))
        #expect(c.handle(attached("aaaa")).outcome == nil)
        let (second, announce2) = c.request()
        #expect(announce2 == ["attempting sending attach b.bin"])
        guard case .multipart(_, let file) = second.body else { Issue.record("not multipart"); return }
        #expect(file.path == "/x/attach/b.bin")
        #expect(c.handle(attached("bbbb")).outcome == nil)
        #expect(c.step == .commit(RemoteMessage(fullID: Self.remoteID)!))
        #expect(c.handle(okCommit).outcome == .relayed(remoteFullID: Self.remoteID))
    }

    @Test func md5MismatchRetries() {
        var c = conversation(attachments: twoFiles)
        _ = c.handle(okPrep)
        let t = c.handle(attached("ffff"))
        #expect(t.outcome == .retry(#"Couldn't attach to test message properly - md5 mismatch : ["ok","ffff-Attached successfully"]"#))
        #expect(!t.effects.contains(.forgetRemoteID))
    }

    @Test func rememberedIDSkipsPrep() {
        let c = conversation(attachments: twoFiles, remembered: Self.remoteID + "\n")
        #expect(c.step == .attach(RemoteMessage(fullID: Self.remoteID)!, index: 0))
        #expect(c.openingLines.last == "Using prior relay_id: \(Self.remoteID)")
        #expect(conversation(remembered: "garbage").step == .prep)
        #expect(conversation(remembered: Self.remoteID).step == .commit(RemoteMessage(fullID: Self.remoteID)!))
    }

    @Test func lostPrepIsRedoneOnceThenRetried() {
        var c = conversation(attachments: twoFiles, remembered: Self.remoteID)
        let first = c.handle(lost)
        #expect(first.outcome == nil)
        #expect(first.effects.first == .forgetRemoteID)
        #expect(c.step == .prep)
        _ = c.handle(okPrep)
        _ = c.handle(attached("aaaa"))
        _ = c.handle(attached("bbbb"))
        let second = c.handle(lost)
        #expect(second.effects == [.forgetRemoteID])
        #expect(second.outcome == .retry(#"Remote message [\#(Self.remoteID)] disappeared: ["fail","cannot find message"]. Getting new id."#))
    }

    @Test func lostMessageIsRecognisedWhateverTheStatus() {
        var c = conversation(remembered: Self.remoteID)
        #expect(c.handle(.response(status: 404, body: #"["fail","cannot find message"]"#)).outcome == nil)
        #expect(c.step == .prep)
    }

    @Test func unreachableRetriesAtEveryStep() {
        var prep = conversation()
        let t = prep.handle(.unreachable("connection refused"))
        #expect(t.effects == [.log("Net::HTTP exception: connection refused")])
        #expect(t.outcome == .retry("Could not connect to or parse URL: http://127.0.0.1:4444/q/test/new_message"))
        var attach = conversation(attachments: twoFiles, remembered: Self.remoteID)
        #expect(attach.handle(.unreachable("timed out")).outcome == .retry("Couldn't attach to message: timed out"))
        var commit = conversation(remembered: Self.remoteID)
        #expect(commit.handle(.unreachable("reset")).outcome
                == .retry("Could not connect to or parse URL: http://127.0.0.1:4444/q/test/20261201.0508.31.123.7"))
    }

    @Test func serverErrorsRetryClientErrorsFail() {
        for step in 0..<3 {
            func fresh() -> RelayConversation {
                switch step {
                case 0: return conversation()
                case 1: return conversation(attachments: twoFiles, remembered: Self.remoteID)
                default: return conversation(remembered: Self.remoteID)
                }
            }
            var a = fresh()
            guard case .retry(let text)? = a.handle(.response(status: 500, body: "boom")).outcome else {
                Issue.record("500 must retry at step \(step)"); continue
            }
            #expect(text.hasSuffix("HTTP 500 boom"))
            var b = fresh()
            guard case .failed(let reason)? = b.handle(.response(status: 404, body: #"{"error":"no such queue"}"#)).outcome else {
                Issue.record("404 must fail at step \(step)"); continue
            }
            #expect(reason.contains(#"HTTP 404 {"error":"no such queue"}"#))
            var c = fresh()
            guard case .retry? = c.handle(.response(status: 429, body: "")).outcome else { Issue.record("429"); continue }
            var d = fresh()
            guard case .retry? = d.handle(.response(status: 503, body: "")).outcome else { Issue.record("503"); continue }
        }
    }

    @Test func aPeerThatIsNotRQFailsAtOnce() {
        for remembered in [nil, Self.remoteID] {
            var c = conversation(remembered: remembered)
            let t = c.handle(.response(status: 200, body: "<html>hello</html>"))
            #expect(t.outcome == .failed("BAD JSON - the remote is not an RQ server: <html>hello</html>"))
            #expect(t.effects.contains(.log("Could not parse JSON")))
        }
        var a = conversation(attachments: twoFiles, remembered: Self.remoteID)
        guard case .failed? = a.handle(.response(status: 200, body: "nope")).outcome else { Issue.record("attach"); return }
    }

    @Test func unusableAnswersFail() {
        var c = conversation()
        #expect(c.handle(.unusable("redirect 302 to /elsewhere")).outcome == .failed("Couldn't queue message: redirect 302 to /elsewhere"))
        var d = conversation(remembered: Self.remoteID)
        #expect(d.handle(.unusable("response too large")).outcome == .failed("Couldn't commit message: response too large"))
    }

    @Test func refusedPrepAndBadIDsRetry() {
        var c = conversation()
        #expect(c.handle(.response(status: 200, body: #"["fail","queue is DOWN"]"#)).outcome
                == .retry(#"Couldn't queue message: ["fail","queue is DOWN"]"#))
        var d = conversation()
        #expect(d.handle(.response(status: 200, body: #"["ok","not-an-id"]"#)).outcome == .retry(#"Couldn't queue message: ["ok","not-an-id"]"#))
        var e = conversation()
        #expect(e.handle(.response(status: 200, body: #"{"ok":1}"#)).outcome == .retry(#"Couldn't queue message: {"ok":1}"#))
        var f = conversation(remembered: Self.remoteID)
        #expect(f.handle(.response(status: 200, body: #"["fail","msg not in prep"]"#)).outcome
                == .retry(#"Couldn't commit message: ["fail","msg not in prep"]"#))
    }

    @Test func longBodiesAreCut() {
        var c = conversation()
        let body = String(repeating: "x", count: 5000)
        guard case .retry(let text)? = c.handle(.response(status: 502, body: body)).outcome else { Issue.record("retry"); return }
        #expect(text.count < 400)
    }
}
