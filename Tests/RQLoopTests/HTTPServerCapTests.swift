import Foundation
import Testing
import RQLoop

/// `HTTPServer` with `ServerListener`: the connection cap sheds idle or slow clients, and the
/// header timeout is a deadline for the whole head.
@Suite(.serialized) struct HTTPServerCapTests {
    private final class Fixture {
        let loop: EventLoop
        let dir: TempDir
        var server: HTTPServer!
        var held: [HTTPResponder] = []

        init(maxConnections: Int, headerTimeout: Double = 10, answer: Bool = true) throws {
            loop = try EventLoop()
            dir = try TempDir()
            let settings = HTTPServerSettings(uploadDirectory: dir.path, maxConnections: maxConnections, headerTimeout: headerTimeout)
            server = try HTTPServer(loop: loop, host: "127.0.0.1", port: 0, settings: settings) { [unowned self] _, responder, _ in
                if answer { responder.respond(.text(200, "ok")) } else { held.append(responder) }
            }
        }

        func connect() throws -> TestClient {
            let client = try TestClient.tcp(port: server.port)
            try client.watch(on: loop)
            return client
        }

        func settle(_ seconds: Double = 0.1) { _ = drive(loop, seconds: seconds) { false } }

        func finish() {
            server.close()
            dir.remove()
        }
    }

    private let get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"

    @Test func atTheCapTheOldestSlowClientIsShed() throws {
        let fixture = try Fixture(maxConnections: 2)
        defer { fixture.finish() }
        let slow1 = try fixture.connect()
        slow1.send("GET / HTTP/1.1\r\nHo")
        fixture.settle()
        let slow2 = try fixture.connect()
        slow2.send("GET / HTTP/1.1\r\nHo")
        fixture.settle()
        slow1.send("s")  // more bytes do not make it younger
        fixture.settle()
        let normal = try fixture.connect()
        defer { [slow1, slow2, normal].forEach { $0.close() } }
        normal.send(get)
        #expect(drive(fixture.loop) { normal.receivedText.hasPrefix("HTTP/1.1 200") })
        #expect(drive(fixture.loop) { slow1.sawEOF })
        #expect(!slow2.sawEOF)
        #expect(fixture.server.shedConnections == 1)
        #expect(fixture.server.openConnections == 2)
    }

    @Test func anIdleKeepAliveConnectionIsShedBeforeABusyOne() throws {
        let fixture = try Fixture(maxConnections: 2, answer: false)
        defer { fixture.finish() }
        let busy = try fixture.connect()
        busy.send(get)
        #expect(drive(fixture.loop) { fixture.held.count == 1 })
        let idle = try fixture.connect()
        idle.send(get)
        #expect(drive(fixture.loop) { fixture.held.count == 2 })
        fixture.held[1].respond(.text(200, "done"))  // now idle between requests
        #expect(drive(fixture.loop) { idle.receivedText.contains("done") })
        let third = try fixture.connect()
        defer { [busy, idle, third].forEach { $0.close() } }
        third.send(get)
        #expect(drive(fixture.loop) { fixture.held.count == 3 })
        #expect(drive(fixture.loop) { idle.sawEOF })
        #expect(!busy.sawEOF)
    }

    @Test func acceptingPausesWhileEveryConnectionIsBusy() throws {
        let fixture = try Fixture(maxConnections: 2, answer: false)
        defer { fixture.finish() }
        let first = try fixture.connect()
        let second = try fixture.connect()
        first.send(get)
        second.send(get)
        #expect(drive(fixture.loop) { fixture.held.count == 2 })
        let third = try fixture.connect()  // in the backlog
        defer { [first, second, third].forEach { $0.close() } }
        third.send(get)
        fixture.settle(0.3)
        #expect(fixture.held.count == 2 && !first.sawEOF && !second.sawEOF)
        fixture.held[0].respond(.text(200, "one"))
        #expect(drive(fixture.loop) { fixture.held.count == 3 })
        #expect(first.receivedText.contains("one"))
    }

    @Test func theHeaderTimeoutIsADeadlineNotAnIdleTimer() throws {
        let fixture = try Fixture(maxConnections: 10, headerTimeout: 0.4)
        defer { fixture.finish() }
        let slow = try fixture.connect()
        defer { slow.close() }
        slow.send("GET / HTTP/1.1\r\n")
        let started = Date()
        while !slow.sawEOF, Date().timeIntervalSince(started) < 3 {
            // A byte every 0.1 s: a per-read timeout would never fire.
            _ = write(slow.fd, "X", 1)
            fixture.settle(0.1)
        }
        #expect(slow.sawEOF)
        #expect(Date().timeIntervalSince(started) < 1.5)
    }
}
