import Foundation
import RQLoop
import RQStore
import Testing
@testable import RQServer

@Suite struct RelayPartsTests {
    @Test func remoteQueueURLs() throws {
        let plain = try RemoteQueueURL.parse("http://127.0.0.1:3333/q/test")
        #expect(plain == RemoteQueueURL(origin: "http://127.0.0.1:3333", host: "127.0.0.1", port: 3333, queue: "test"))
        #expect(plain.newMessageURL == "http://127.0.0.1:3333/q/test/new_message")
        #expect(try RemoteQueueURL.parse("http://h/q/x/20261201.0508.31.123.7/more").queueURL == "http://h/q/x")
        #expect(try RemoteQueueURL.parse("http://h/q/x").port == 80)
        #expect(try RemoteQueueURL.parse("HTTP://[::1]:8080/q/x").host == "::1")
        #expect(throws: RemoteQueueURL.ParseError.notHTTP("https://h/q/x")) { try RemoteQueueURL.parse("https://h/q/x") }
        #expect(throws: RemoteQueueURL.ParseError.noHost("http:///q/x")) { try RemoteQueueURL.parse("http:///q/x") }
        #expect(throws: RemoteQueueURL.ParseError.badPort("http://h:99999/q/x")) { try RemoteQueueURL.parse("http://h:99999/q/x") }
        #expect(throws: RemoteQueueURL.ParseError.badPort("http://h:x/q/x")) { try RemoteQueueURL.parse("http://h:x/q/x") }
        #expect(throws: RemoteQueueURL.ParseError.noQueue("http://h/x")) { try RemoteQueueURL.parse("http://h/x") }
        #expect(throws: RemoteQueueURL.ParseError.noQueue("http://h/q/")) { try RemoteQueueURL.parse("http://h/q/") }
        #expect(throws: RemoteQueueURL.ParseError.noHost("http://u@h/q/x")) { try RemoteQueueURL.parse("http://u@h/q/x") }
    }

    @Test func remoteMessages() {
        let m = RemoteMessage(fullID: "http://localhost:3333/q/test/20261201.0508.31.123.7")
        #expect(m?.shortID == "20261201.0508.31.123.7")
        #expect(m?.path == "/q/test/20261201.0508.31.123.7")
        let dest = try! RemoteQueueURL.parse("http://10.1.1.1:9/q/test")
        #expect(m?.attachURL(on: dest) == "http://10.1.1.1:9/q/test/20261201.0508.31.123.7/attach/new")
        #expect(RemoteMessage(fullID: "http://h/q/test/notanid") == nil)
        #expect(RemoteMessage(fullID: "/q/test/20261201.0508.31.123.7") == nil)
    }

    @Test func remoteReplies() {
        #expect(RemoteReply(body: #"["ok","x"]"#) == .ok("x"))
        #expect(RemoteReply(body: #" ["fail", "cannot find message"] "#).isLostMessage)
        #expect(RemoteReply(body: #"["ok",12]"#) == .ok("12"))
        #expect(RemoteReply(body: #"["maybe","x"]"#) == .unexpected)
        #expect(RemoteReply(body: #"["ok"]"#) == .unexpected)
        #expect(RemoteReply(body: "<html>") == .notJSON)
        #expect(RemoteReply(body: "") == .notJSON)
    }

    @Test func backoffFollowsTheOriginalsSchedule() {
        let relay = RetryBackoff(baseSeconds: 10)
        #expect((0...3).map { relay.delay(count: $0, unit: 0) } == [0, 10, 40, 90])
        #expect(relay.delay(count: 3, unit: 0.999) == 99)
        #expect(relay.delay(count: Int.max, unit: 0) == Int(Int32.max))
        #expect(RetryBackoff(envVars: ["RQ_RETRY_BASE_SECONDS": "1"], defaultBase: 10).baseSeconds == 1)
        #expect(RetryBackoff(envVars: ["RQ_RETRY_BASE_SECONDS": 0], defaultBase: 10).baseSeconds == 0)
        #expect(RetryBackoff(envVars: ["RQ_RETRY_BASE_SECONDS": "-3"], defaultBase: 60).baseSeconds == 60)
        #expect(RetryBackoff(envVars: ["RQ_RETRY_BASE_SECONDS": "soon"], defaultBase: 60).baseSeconds == 60)
        #expect(RetryBackoff(envVars: [:], defaultBase: 60).baseSeconds == 60)
    }

    @Test func queueKnobsComeFromEnvVars() {
        let tuned = QueueKnobs(envVars: ["RQ_HTTP_TIMEOUT_SECONDS": "1.5", "RQ_RETRY_BASE_SECONDS": "2"], defaultBackoffBase: 10)
        #expect(tuned.timeout == 1.5)
        #expect(tuned.backoff.baseSeconds == 2)
        let plain = QueueKnobs(envVars: ["RQ_HTTP_TIMEOUT_SECONDS": "0"], defaultBackoffBase: 60)
        #expect(plain.timeout == QueueKnobs.defaultTimeout)
        #expect(plain.backoff.baseSeconds == 60)
        #expect(QueueKnobs(envVars: ["RQ_HTTP_TIMEOUT_SECONDS": 3], defaultBackoffBase: 1).timeout == 3)
    }

    @Test func relayIDFileRoundTrips() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relayid-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = RelayIDFile(jobDirectory: dir)
        #expect(file.read() == nil)
        try file.write("http://h/q/t/20261201.0508.31.123.7")
        #expect(file.read() == "http://h/q/t/20261201.0508.31.123.7")
        #expect(!FileManager.default.fileExists(atPath: dir + "/relay_id.tmp"))
        file.remove()
        #expect(file.read() == nil)
        #expect(throws: (any Error).self) { try RelayIDFile(jobDirectory: dir + "/missing").write("x") }
    }

    @Test func logLinesLookLikeTheOriginalScripts() {
        let date = Date(timeIntervalSince1970: 1_796_101_711)
        #expect(RelayLogLine.format("FORCE REMOTE", pid: 42, at: date) == "\u{1B}[0;36m42 - 2026-12-01 05:08:31 +0000\u{1B}[0m - FORCE REMOTE")
    }
}

@Suite struct HTTPClientTransportTests {
    @Test func clientErrorsAreSortedIntoRetryOrGiveUp() {
        for error: HTTPClientError in [.connect("refused"), .connectTimeout, .timeout, .connectionClosed("reset"), .resolve("x"), .cancelled] {
            #expect(HTTPClientTransport.reply(for: error) == .unreachable(error.description))
        }
        for error: HTTPClientError in [.invalidURL("x"), .malformedResponse("x"), .responseTooLarge(16), .redirect(status: 302, location: "/"), .file("gone")] {
            #expect(HTTPClientTransport.reply(for: error) == .unusable(error.description))
        }
    }
}
