import Foundation
import RQStore
import Testing
@testable import RQServer

/// `RelayDelivery` without a loop: a scripted transport answers each request in turn.
@Suite struct RelayDeliveryTests {
    final class ScriptedTransport: RelayTransport {
        final class Call: RelayCancellation {
            var cancelled = false
            func cancel() { cancelled = true }
        }

        var answers: [RelayReply]
        var sent: [RelayRequest] = []
        var timeouts: [Double] = []
        var pending: ((RelayReply) -> Void)?
        var lastCall: Call?

        init(_ answers: [RelayReply]) { self.answers = answers }

        func send(_ request: RelayRequest, timeout: Double, completion: @escaping (RelayReply) -> Void) -> RelayCancellation {
            sent.append(request)
            timeouts.append(timeout)
            pending = completion
            let call = Call()
            lastCall = call
            return call
        }

        /// Delivers the next scripted answer, as a later loop turn would.
        func answerNext() -> Bool {
            guard let pending, !answers.isEmpty, lastCall?.cancelled == false else { return false }
            self.pending = nil
            pending(answers.removeFirst())
            return true
        }
    }

    static let remoteID = "http://127.0.0.1:4444/q/test/20261201.0508.31.123.7"

    private func run(_ answers: [RelayReply], count: Int = 2, attachments: [RelayAttachment] = [],
                     remembered: String? = nil, in dir: String) -> (String?, ScriptedTransport) {
        if let remembered { try? RelayIDFile(jobDirectory: dir).write(remembered) }
        let message = Message(msgID: "20261201.0500.00.001.1", dest: "http://127.0.0.1:4444/q/test", origMsgID: "o",
                              count: count, due: 0)
        let conversation = RelayConversation(remote: try! RemoteQueueURL.parse(message.dest), message: message,
                                             attachments: attachments, rememberedID: RelayIDFile(jobDirectory: dir).read())
        let transport = ScriptedTransport(answers)
        var status: String?
        let delivery = RelayDelivery(conversation: conversation, jobDirectory: dir, environment: .init(
            transport: transport, backoff: RetryBackoff(baseSeconds: 10), timeout: 7, jitter: { 0 }, log: { Self.appendLine($0, dir) },
            persist: Self.syncAtOnce)) { status = $0 }
        delivery.start()
        while status == nil, transport.answerNext() {}
        return (status, transport)
    }

    /// `persist` done on the spot, with real fsyncs: what the group commit does a little later.
    static func syncAtOnce(_ files: [String], _ directories: [String], _ done: (Bool) -> Void) {
        var durable = true
        for path in files + directories {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 || fsync(fd) != 0 { durable = false }
            if fd >= 0 { close(fd) }
        }
        done(durable)
    }

    /// A fresh delivery of a message with nothing remembered, whose `relay_id` syncs wait for
    /// the test: `persist` is the test's.
    private func delivery(in dir: String, _ transport: ScriptedTransport,
                          persist: @escaping ([String], [String], @escaping (Bool) -> Void) -> Void,
                          status: @escaping (String) -> Void) -> RelayDelivery {
        let message = Message(msgID: "20261201.0500.00.001.1", dest: "http://127.0.0.1:4444/q/test", origMsgID: "o", due: 0)
        return RelayDelivery(
            conversation: RelayConversation(remote: try! RemoteQueueURL.parse(message.dest), message: message,
                                            attachments: [], rememberedID: nil),
            jobDirectory: dir,
            environment: .init(transport: transport, backoff: RetryBackoff(baseSeconds: 1), timeout: 1, jitter: { 0 },
                               log: { Self.appendLine($0, dir) }, persist: persist),
            finish: status)
    }

    /// The remote is asked to commit only once the id it gave is durable here: a crash
    /// between its commit and ours must find the id, or the retry would deliver a second copy.
    @Test func theCommitWaitsUntilTheRememberedIDIsDurable() {
        withJobDirectory { dir in
            let transport = ScriptedTransport([.response(status: 200, body: #"["ok","\#(Self.remoteID)"]"#),
                                               .response(status: 200, body: #"["ok","committed"]"#)])
            var persisting: [(files: [String], directories: [String], done: (Bool) -> Void)] = []
            var status: String?
            let relay = delivery(in: dir, transport, persist: { persisting.append(($0, $1, $2)) }) { status = $0 }
            relay.start()
            #expect(transport.answerNext())
            #expect(transport.sent.count == 1, "no commit before relay_id is durable")
            #expect(persisting.map(\.files) == [[dir + "/relay_id"]])
            #expect(persisting.map(\.directories) == [[dir]])
            #expect(RelayIDFile(jobDirectory: dir).read() == Self.remoteID)
            persisting[0].done(false)
            #expect(log(dir).contains("cannot remember relay_id: fsync failed"))
            #expect(transport.sent.map(\.url) == ["http://127.0.0.1:4444/q/test/new_message", Self.remoteID],
                    "a failed sync only risks an unused copy: go on")
            #expect(transport.answerNext())
            #expect(status == "relayed \(Self.remoteID)")
        }
    }

    @Test func aDeliveryCancelledWhileItsIDSyncsSendsNothingMore() {
        withJobDirectory { dir in
            let transport = ScriptedTransport([.response(status: 200, body: #"["ok","\#(Self.remoteID)"]"#)])
            var pending: ((Bool) -> Void)?
            var status: String?
            let relay = delivery(in: dir, transport, persist: { pending = $2 }) { status = $0 }
            relay.start()
            #expect(transport.answerNext())
            relay.cancel()
            pending?(true)
            #expect(transport.sent.count == 1)
            #expect(status == nil)
        }
    }

    private func withJobDirectory(_ body: (String) throws -> Void) rethrows {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relay-delivery-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }

    /// What the runner does with the lines: append them to `job/stdio.log`.
    static func appendLine(_ line: String, _ dir: String) {
        let old = (try? String(contentsOfFile: dir + "/stdio.log", encoding: .utf8)) ?? ""
        try? (old + line + "\n").write(toFile: dir + "/stdio.log", atomically: true, encoding: .utf8)
    }

    private func log(_ dir: String) -> String { (try? String(contentsOfFile: dir + "/stdio.log", encoding: .utf8)) ?? "" }

    @Test func aDeliveryEndsRelayedAndForgetsTheRemoteID() {
        withJobDirectory { dir in
            let (status, transport) = run([.response(status: 200, body: #"["ok","\#(Self.remoteID)"]"#),
                                                    .response(status: 200, body: #"["ok","committed"]"#)], in: dir)
            #expect(status == "relayed \(Self.remoteID)")
            #expect(transport.sent.count == 2)
            #expect(transport.timeouts == [7, 7])
            #expect(RelayIDFile(jobDirectory: dir).read() == nil)
            let text = log(dir)
            #expect(text.contains("attempting remote http://127.0.0.1:4444/q/test"))
            #expect(text.contains("Now using relay_id: \(Self.remoteID)"))
        }
    }

    @Test func aFailedCommitKeepsTheRemoteIDForTheNextAttempt() {
        withJobDirectory { dir in
            let (status, _) = run([.response(status: 200, body: #"["ok","\#(Self.remoteID)"]"#), .unreachable("connection reset")],
                                     count: 3, in: dir)
            #expect(status == "resend 90-Could not connect to or parse URL: \(Self.remoteID)")
            #expect(RelayIDFile(jobDirectory: dir).read() == Self.remoteID)
            #expect(log(dir).contains("RESEND - 90 - 3 - Could not connect to or parse URL"))
            // The next attempt starts at commit with the remembered id.
            let (again, transport) = run([.response(status: 200, body: #"["ok","committed"]"#)], in: dir)
            #expect(again == "relayed \(Self.remoteID)")
            #expect(transport.sent.map(\.url) == [Self.remoteID])
            #expect(log(dir).contains("Using prior relay_id: \(Self.remoteID)"))
        }
    }

    @Test func aLostPrepIsPreparedAgainInTheSameAttempt() {
        withJobDirectory { dir in
            let other = "http://127.0.0.1:4444/q/test/20261201.0508.31.123.8"
            let (status, transport) = run([.response(status: 200, body: #"["fail","cannot find message"]"#),
                                              .response(status: 200, body: #"["ok","\#(other)"]"#),
                                              .response(status: 200, body: #"["ok","committed"]"#)],
                                             remembered: Self.remoteID, in: dir)
            #expect(status == "relayed \(other)")
            #expect(transport.sent.map(\.url) == [Self.remoteID, "http://127.0.0.1:4444/q/test/new_message", other])
        }
    }

    @Test func permanentFailuresEndInErr() {
        withJobDirectory { dir in
            let (status, _) = run([.response(status: 404, body: #"{"error":"no such queue"}"#)], in: dir)
            #expect(status == #"err Couldn't queue message: HTTP 404 {"error":"no such queue"}"#)
            #expect(log(dir).contains("ERR - Couldn't queue message"))
        }
    }

    @Test func attachmentsAreSentWithTheirMD5sChecked() {
        withJobDirectory { dir in
            let files = [RelayAttachment(name: "a", path: dir + "/a", md5: "11"), RelayAttachment(name: "b", path: dir + "/b", md5: "22")]
            let (status, transport) = run([.response(status: 200, body: #"["ok","\#(Self.remoteID)"]"#),
                                              .response(status: 200, body: #"["ok","11-Attached successfully"]"#),
                                              .response(status: 200, body: #"["ok","22-Attached successfully"]"#),
                                              .response(status: 200, body: #"["ok","committed"]"#)],
                                             attachments: files, in: dir)
            #expect(status == "relayed \(Self.remoteID)")
            #expect(transport.sent.count == 4)
            #expect(log(dir).contains("attempting sending attach b"))
        }
    }

    @Test func aCancelledDeliveryReportsNothing() {
        withJobDirectory { dir in
            let message = Message(msgID: "20261201.0500.00.001.1", dest: "http://h/q/test", origMsgID: "o", due: 0)
            let transport = ScriptedTransport([.response(status: 200, body: #"["ok","\#(Self.remoteID)"]"#)])
            var status: String?
            let delivery = RelayDelivery(conversation: RelayConversation(remote: try! RemoteQueueURL.parse(message.dest), message: message,
                                                                        attachments: [], rememberedID: nil),
                                         jobDirectory: dir, environment: .init(transport: transport, backoff: RetryBackoff(baseSeconds: 1),
                                                                               timeout: 1, jitter: { 0 },
                                                                               log: { _ in }, persist: Self.syncAtOnce)) { status = $0 }
            delivery.start()
            delivery.cancel()
            #expect(transport.lastCall?.cancelled == true)
            #expect(!transport.answerNext())
            #expect(status == nil)
        }
    }

    @Test func badDestsAreRefusedBeforeAnyRequest() {
        #expect(RelayDelivery.refusal(of: "http://h:1/q/test") == nil)
        #expect(RelayDelivery.refusal(of: "http://h/nothing") == "err Bad dest URL (no /q/<queue>): http://h/nothing")
    }
}
