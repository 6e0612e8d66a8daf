import Foundation
import Testing

/// Issue 11 part 2: clients that trickle a request head must not shut everyone else out.
/// The server runs with a lowered connection cap and header timeout
/// (`RQ_HTTP_MAX_CONNECTIONS`, `RQ_HTTP_HEADER_TIMEOUT`) so the cap is reached quickly.
@Suite(.serialized) struct SlowlorisTests {
    private static func server(cap: Int, headerTimeout: Double) throws -> ServerFixture {
        let s = try ServerFixture()
        s.launchShellPrefix = "export RQ_HTTP_MAX_CONNECTIONS=\(cap) RQ_HTTP_HEADER_TIMEOUT=\(headerTimeout)"
        try s.restart()
        return s
    }

    /// Opens a connection and sends the start of a request head, never its end.
    private static func openSlowClient(port: Int) -> Int32? {
        guard let fd = try? RawTCP.connect(port: port) else { return nil }
        guard drip(fd, "GET / HTTP/1.1\r\nHost: x\r\n") else { close(fd); return nil }
        return fd
    }

    /// One more header byte; false once the server has closed the connection.
    private static func drip(_ fd: Int32, _ text: String = "X") -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    @Test func normalRequestsAreServedWhileSlowClientsHoldEveryConnection() throws {
        let s = try Self.server(cap: 20, headerTimeout: 10)
        defer { s.stop() }
        // 30 attackers against a cap of 20, each sending a byte every 0.3 s and reconnecting
        // when dropped, as slowloris does.
        let attackers = Locked<[Int32]>([])
        let stop = Locked(false)
        let port = s.port
        for _ in 0..<30 { if let fd = Self.openSlowClient(port: port) { attackers.mutate { $0.append(fd) } } }
        let dripper = Thread {
            while !stop.value {
                attackers.mutate { fds in
                    fds = fds.map { fd in
                        if Self.drip(fd) { return fd }
                        close(fd)
                        return Self.openSlowClient(port: port) ?? -1
                    }.filter { $0 >= 0 }
                }
                usleep(300_000)
            }
        }
        dripper.start()
        defer {
            stop.mutate { $0 = true }
            usleep(400_000)
            attackers.value.forEach { close($0) }
        }
        usleep(1_000_000)  // the attackers fill the cap
        // Without shedding every request waits in the backlog until a slow client gives up,
        // which with dripping never happens: curl's own limit ends it with 000.
        for _ in 0..<8 {
            let result = try s.curl(["-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", s.baseURL + "/"])
            #expect(result.stdout == "200", "a normal request was not served (\(result.stdout))")
        }
    }

    @Test func theHeaderTimeoutIsADeadlineForTheWholeHead() throws {
        let s = try Self.server(cap: 1024, headerTimeout: 1.5)
        defer { s.stop() }
        let fd = try #require(Self.openSlowClient(port: s.port))
        defer { close(fd) }
        let started = Date()
        // A byte every 0.3 s would restart a per-read timeout forever.
        while Self.drip(fd), Date().timeIntervalSince(started) < 10 { usleep(300_000) }
        let seconds = Date().timeIntervalSince(started)
        #expect(seconds < 6, "the slow head kept its connection for \(seconds) s")
        #expect(seconds > 1.2)
    }
}
