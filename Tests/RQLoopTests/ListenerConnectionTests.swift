import Foundation
import Testing
import RQLoop
#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized) struct ListenerConnectionTests {
    @Test func tcpListenerOnPortZeroEchoes() throws {
        let loop = try EventLoop()
        var peer = ""
        let listener = try Listener.tcp(loop: loop, host: "127.0.0.1", port: 0) { connection in
            peer = connection.peer
            connection.onReadable = { $0.write($0.readBytes(max: 1024)) }
        }
        #expect(listener.port > 0)
        let client = try TestClient.tcp(port: listener.port)
        defer { client.close() }
        try client.watch(on: loop)
        client.send("hello")
        #expect(drive(loop) { client.receivedText == "hello" })
        #expect(peer.hasPrefix("127.0.0.1:"))
        listener.close()
    }

    @Test func unixListenerReplacesAStaleSocketFileAndUnlinksOnClose() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.path + "/s.sock"
        // A socket file left behind by a dead server: bound, closed, never unlinked.
        let raw = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(raw, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(raw)
        #expect(bound == 0 && FileManager.default.fileExists(atPath: path))

        let loop = try EventLoop()
        var peer = ""
        var got: [UInt8] = []
        var closed = false
        let listener = try Listener.unix(loop: loop, path: path) { connection in
            peer = connection.peer
            connection.onReadable = { got += $0.readBytes(max: 100) }
            connection.onClose = { _ in closed = true }
        }
        let client = try TestClient.unix(path: path)
        client.send("abc")
        client.close()
        #expect(drive(loop) { closed })
        #expect(got == Array("abc".utf8))
        #expect(peer == "unix")
        listener.close()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func unixListenerDoesNotTakeOverALiveSocket() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.path + "/s.sock"
        let loop = try EventLoop()
        var accepted = 0
        let first = try Listener.unix(loop: loop, path: path) { _ in accepted += 1 }
        #expect(throws: LoopError.self) {
            try Listener.unix(loop: loop, path: path) { _ in }
        }
        let client = try TestClient.unix(path: path)
        defer { client.close() }
        #expect(drive(loop) { accepted == 2 })  // the probe connect, then the client
        first.close()
    }

    @Test func closedConnectionIsReleasedByTheLoop() throws {
        let loop = try EventLoop()
        weak var accepted: Connection?
        var closed = 0
        let listener = try Listener.tcp(loop: loop, host: "127.0.0.1", port: 0) { connection in
            accepted = connection
            connection.onClose = { _ in closed += 1 }
        }
        let client = try TestClient.tcp(port: listener.port)
        #expect(drive(loop) { accepted != nil })
        #expect(accepted?.isClosed == false)  // alive with no owner reference: the loop holds it
        client.close()
        #expect(drive(loop) { closed == 1 })
        #expect(accepted == nil)
        listener.close()
    }

    @Test func explicitCloseIsIdempotentAndDoesNotCallOnClose() throws {
        let loop = try EventLoop()
        var onCloseCalls = 0
        var server: Connection?
        let listener = try Listener.tcp(loop: loop, host: "127.0.0.1", port: 0) { connection in
            server = connection
            connection.onClose = { _ in onCloseCalls += 1 }
            connection.onReadable = { connection in
                connection.write("unsent after close")
                connection.close()
                connection.close()
                connection.write("dropped")
            }
        }
        let client = try TestClient.tcp(port: listener.port)
        defer { client.close() }
        try client.watch(on: loop)
        client.send("x")
        #expect(drive(loop) { client.sawEOF })
        #expect(onCloseCalls == 0)
        #expect(server?.isClosed == true)
        #expect(server?.inputCount == 0 && server?.outputCount == 0)
        listener.close()
    }

    @Test func readTimeoutEndsTheConnection() throws {
        let loop = try EventLoop()
        var closedAt: Double?
        let start = loop.now
        let listener = try Listener.tcp(loop: loop, host: "127.0.0.1", port: 0) { connection in
            connection.setTimeouts(read: 0.05, write: nil)
            connection.onClose = { _ in closedAt = loop.now }
        }
        let client = try TestClient.tcp(port: listener.port)
        defer { client.close() }
        try client.watch(on: loop)
        #expect(drive(loop) { closedAt != nil && client.sawEOF })
        #expect((closedAt ?? 0) - start >= 0.04)
        listener.close()
    }

    @Test func closeAfterFlushSendsEverythingThenCloses() throws {
        let loop = try EventLoop()
        var closeCalls = 0
        let big = [UInt8](repeating: UInt8(ascii: "z"), count: 3 << 20)
        let listener = try Listener.tcp(loop: loop, host: "127.0.0.1", port: 0) { connection in
            connection.onClose = { _ in closeCalls += 1 }
            connection.write(big)
            connection.closeAfterFlush()
        }
        let client = try TestClient.tcp(port: listener.port)
        defer { client.close() }
        try client.watch(on: loop)
        #expect(drive(loop) { client.sawEOF })
        #expect(client.received.count == big.count)
        #expect(closeCalls == 1)
        listener.close()
    }

    @Test func writeFileStreamsTheRequestedSliceAndDrainNotifies() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.path + "/data"
        try Data("0123456789".utf8).write(to: URL(fileURLWithPath: path))
        let loop = try EventLoop()
        var drained = 0
        let listener = try Listener.tcp(loop: loop, host: "127.0.0.1", port: 0) { connection in
            connection.onWriteDrained = { _ in drained += 1 }
            connection.writeFile(fd: open(path, O_RDONLY), offset: 2, length: 5)
        }
        let client = try TestClient.tcp(port: listener.port)
        defer { client.close() }
        try client.watch(on: loop)
        #expect(drive(loop) { client.receivedText == "23456" && drained == 1 })
        listener.close()
    }

    @Test func pausedListenerAcceptsOnlyAfterResume() throws {
        let loop = try EventLoop()
        var accepted = 0
        let listener = try Listener.tcp(loop: loop, host: "127.0.0.1", port: 0) { _ in accepted += 1 }
        listener.pause()
        let client = try TestClient.tcp(port: listener.port)  // completes in the backlog
        defer { client.close() }
        let resumeTimer = LoopTimer(loop: loop) { listener.resume() }
        resumeTimer.schedule(after: 0.1)
        var acceptedBeforeResume = -1
        let checkTimer = LoopTimer(loop: loop) { acceptedBeforeResume = accepted }
        checkTimer.schedule(after: 0.05)
        #expect(drive(loop) { accepted == 1 })
        #expect(acceptedBeforeResume == 0)
        listener.close()
    }

    @Test func badHostThrows() throws {
        let loop = try EventLoop()
        #expect(throws: LoopError.self) {
            try Listener.tcp(loop: loop, host: "127.0.0.1", port: 70000) { _ in }
        }
    }
}
