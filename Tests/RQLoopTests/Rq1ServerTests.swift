import Foundation
import RQWire
import Testing
import RQLoop

/// One loop, one rq1 server on a temp socket, and helpers to frame requests.
private final class Rq1Fixture {
    let dir: TempDir
    let loop: EventLoop
    let path: String
    var server: Rq1Server?
    var requests: [(command: String, argument: String)] = []
    var timers: [LoopTimer] = []

    init(maxPayload: Int = 64 << 20, maxSessions: Int = Rq1Server.defaultMaxSessions,
         idleTimeout: Double = Rq1Server.defaultIdleTimeout,
         handler: @escaping (Rq1Fixture, Rq1Request) -> Void) throws {
        dir = try TempDir()
        loop = try EventLoop()
        path = dir.path + "/queue.sock"
        server = try Rq1Server(loop: loop, path: path, maxPayload: maxPayload, maxSessions: maxSessions,
                               idleTimeout: idleTimeout) { [unowned self] request in
            requests.append((request.command, request.argument))
            handler(self, request)
        }
    }

    func connect() throws -> TestClient {
        let client = try TestClient.unix(path: path)
        try client.watch(on: loop)
        return client
    }

    /// Answers `request` after `delay` seconds of loop time.
    func reply(_ request: Rq1Request, _ payload: String, after delay: Double) {
        let timer = LoopTimer(loop: loop) { request.reply(payload) }
        timer.schedule(after: delay)
        timers.append(timer)
    }

    func finish() {
        server?.close()
        dir.remove()
    }
}

private func frame(_ payload: String) -> [UInt8] { Rq1Codec.encode(payload) }
private func frameText(_ payload: String) -> String { String(decoding: frame(payload), as: UTF8.self) }

@Suite(.serialized) struct Rq1ServerTests {
    @Test func pingRoundTrip() throws {
        let fixture = try Rq1Fixture { _, request in
            request.reply(request.command == "ping" ? "[\"pong\"]" : "[\"error\"]")
        }
        defer { fixture.finish() }
        let client = try fixture.connect()
        defer { client.close() }
        client.send(frame("ping"))
        #expect(drive(fixture.loop) { client.receivedText == "rq1 00000008 [\"pong\"]" })
        #expect(fixture.requests.map(\.command) == ["ping"])
        #expect(fixture.requests.map(\.argument) == [""])
    }

    @Test func payloadSplitOverThreeWrites() throws {
        let fixture = try Rq1Fixture { _, request in request.reply("[\"ok\"]") }
        defer { fixture.finish() }
        let client = try fixture.connect()
        defer { client.close() }
        let bytes = frame("create_message {\"dest\":\"q\"}")
        client.send(Array(bytes[0..<6]))  // inside the header
        let second = LoopTimer(loop: fixture.loop) { client.send(Array(bytes[6..<20])) }
        let third = LoopTimer(loop: fixture.loop) { client.send(Array(bytes[20...])) }
        second.schedule(after: 0.03)
        third.schedule(after: 0.06)
        #expect(drive(fixture.loop) { client.receivedText == frameText("[\"ok\"]") })
        #expect(fixture.requests.count == 1)
        #expect(fixture.requests.first?.command == "create_message")
        #expect(fixture.requests.first?.argument == "{\"dest\":\"q\"}")
    }

    @Test func twoSequentialRequestsOnOneConnection() throws {
        let fixture = try Rq1Fixture { _, request in request.reply("[\"\(request.command)\"]") }
        defer { fixture.finish() }
        let client = try TestClient.unix(path: fixture.path)
        defer { client.close() }
        var sentSecond = false
        try client.watch(on: fixture.loop) {
            if !sentSecond && client.receivedText == frameText("[\"first\"]") {
                sentSecond = true
                client.send(frame("second"))
            }
        }
        client.send(frame("first"))
        #expect(drive(fixture.loop) { client.receivedText == frameText("[\"first\"]") + frameText("[\"second\"]") })
        #expect(fixture.requests.map(\.command) == ["first", "second"])
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let fixture = try Rq1Fixture { _, request in request.reply(request.argument) }
        defer { fixture.finish() }
        let client = try fixture.connect()
        defer { client.close() }
        client.send(frame("echo 1") + frame("echo 2") + frame("echo 3"))
        #expect(drive(fixture.loop) { client.receivedText == frameText("1") + frameText("2") + frameText("3") })
    }

    @Test func badPrefixClosesWithoutReply() throws {
        let fixture = try Rq1Fixture { _, request in request.reply("[]") }
        defer { fixture.finish() }
        let client = try fixture.connect()
        defer { client.close() }
        client.send("GET / HTTP/1.1\r\n\r\n")
        #expect(drive(fixture.loop) { client.sawEOF })
        #expect(client.received.isEmpty)
        #expect(fixture.requests.isEmpty)
    }

    @Test func oversizedPayloadClosesWithoutReply() throws {
        let fixture = try Rq1Fixture(maxPayload: 10) { _, request in request.reply("[]") }
        defer { fixture.finish() }
        let client = try fixture.connect()
        defer { client.close() }
        client.send(frame("create_message {\"dest\":\"q\"}"))
        #expect(drive(fixture.loop) { client.sawEOF })
        #expect(client.received.isEmpty)
        #expect(fixture.requests.isEmpty)
    }

    @Test func invalidUTF8ClosesWithoutReply() throws {
        let fixture = try Rq1Fixture { _, request in request.reply("[]") }
        defer { fixture.finish() }
        let client = try fixture.connect()
        defer { client.close() }
        client.send(Array("rq1 00000003 ".utf8) + [0x70, 0xff, 0xfe])
        #expect(drive(fixture.loop) { client.sawEOF })
        #expect(client.received.isEmpty)
        #expect(fixture.requests.isEmpty)
    }

    @Test func deferredReplyViaRunSoon() throws {
        var iteration = 0
        var handledIn = -1
        var repliedIn = -1
        let fixture = try Rq1Fixture { fixture, request in
            handledIn = iteration
            fixture.loop.runSoon {
                repliedIn = iteration
                request.reply("[\"later\"]")
            }
        }
        defer { fixture.finish() }
        fixture.loop.addIterationEndHook { iteration += 1 }
        let client = try fixture.connect()
        defer { client.close() }
        client.send(frame("create_message {}"))
        #expect(drive(fixture.loop) { client.receivedText == frameText("[\"later\"]") })
        #expect(repliedIn == handledIn + 1)
    }

    @Test func peerClosingBeforeDeferredReplyDropsIt() throws {
        var pending: Rq1Request?
        let fixture = try Rq1Fixture { fixture, request in
            if request.command == "ping" {
                request.reply("[\"pong\"]")
            } else {
                pending = request
            }
        }
        defer { fixture.finish() }
        let leaving = try TestClient.unix(path: fixture.path)
        leaving.send(frame("create_message {}"))
        #expect(drive(fixture.loop) { pending != nil })
        leaving.close()
        var repliedLate = false
        let late = LoopTimer(loop: fixture.loop) {
            pending?.reply("[\"ok\"]")
            pending?.reply("[\"ok\"]")  // a second reply is ignored
            repliedLate = true
        }
        late.schedule(after: 0.05)
        #expect(drive(fixture.loop) { repliedLate })
        // The server is unharmed and serves the next client.
        let next = try fixture.connect()
        defer { next.close() }
        next.send(frame("ping"))
        #expect(drive(fixture.loop) { next.receivedText == frameText("[\"pong\"]") })
    }

    @Test func closingTheServerClosesClientsAndRemovesTheSocket() throws {
        let fixture = try Rq1Fixture { _, _ in }  // never replies
        defer { fixture.finish() }
        let client = try fixture.connect()
        defer { client.close() }
        client.send(frame("ping"))
        #expect(drive(fixture.loop) { fixture.requests.count == 1 })
        fixture.server?.close()
        #expect(drive(fixture.loop) { client.sawEOF })
        #expect(client.received.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fixture.path))
    }

    @Test func idleClientsAreDisconnectedButSlowRepliesAreNotIdle() throws {
        // The reply takes longer than the idle timeout: waiting for it is not idleness.
        let fixture = try Rq1Fixture(idleTimeout: 0.2) { fixture, request in fixture.reply(request, "[\"late\"]", after: 0.5) }
        defer { fixture.finish() }
        let silent = try fixture.connect()
        defer { silent.close() }
        let asking = try fixture.connect()
        defer { asking.close() }
        asking.send(frame("slow"))
        #expect(drive(fixture.loop) { silent.sawEOF })
        #expect(drive(fixture.loop) { asking.receivedText == frameText("[\"late\"]") })
        #expect(drive(fixture.loop) { asking.sawEOF }, "idle again after its reply")
        #expect(drive(fixture.loop) { fixture.server?.openSessions == 0 })
    }

    @Test func atTheSessionCapTheOldestIdleSessionIsShed() throws {
        let fixture = try Rq1Fixture(maxSessions: 2) { _, request in request.reply("[\"pong\"]") }
        defer { fixture.finish() }
        let first = try fixture.connect()
        defer { first.close() }
        first.send(frame("ping"))
        #expect(drive(fixture.loop) { !first.received.isEmpty })
        let second = try fixture.connect()
        defer { second.close() }
        second.send(frame("ping"))
        #expect(drive(fixture.loop) { !second.received.isEmpty })
        let third = try fixture.connect()
        defer { third.close() }
        third.send(frame("ping"))
        #expect(drive(fixture.loop) { third.receivedText == frameText("[\"pong\"]") })
        #expect(drive(fixture.loop) { first.sawEOF })  // idle the longest
        #expect(!second.sawEOF)
        #expect(fixture.server?.openSessions == 2)
    }

    @Test func acceptingPausesWhenEverySessionAwaitsAReply() throws {
        var held: [Rq1Request] = []
        let fixture = try Rq1Fixture(maxSessions: 2) { _, request in held.append(request) }
        defer { fixture.finish() }
        let first = try fixture.connect()
        let second = try fixture.connect()
        defer { first.close(); second.close() }
        first.send(frame("ping"))
        second.send(frame("ping"))
        #expect(drive(fixture.loop) { held.count == 2 })
        let third = try fixture.connect()  // waits in the backlog: nobody may be shed
        defer { third.close() }
        third.send(frame("ping"))
        _ = drive(fixture.loop, seconds: 0.3) { false }
        #expect(held.count == 2 && !first.sawEOF && !second.sawEOF)
        #expect(fixture.server?.openSessions == 2)
        held[0].reply("[\"pong\"]")  // the first session turns idle: the third sheds it
        #expect(drive(fixture.loop) { held.count == 3 })
        #expect(first.receivedText == frameText("[\"pong\"]"))
    }

    @Test func halfClosedClientGetsEveryReplyThenEOF() throws {
        let fixture = try Rq1Fixture { fixture, request in fixture.reply(request, "[\"\(request.command)\"]", after: 0.05) }
        defer { fixture.finish() }
        let client = try fixture.connect()
        defer { client.close() }
        client.send(frame("one") + frame("two"))
        shutdown(client.fd, Int32(SHUT_WR))
        #expect(drive(fixture.loop) { client.sawEOF })
        #expect(client.receivedText == frameText("[\"one\"]") + frameText("[\"two\"]"))
    }
}
