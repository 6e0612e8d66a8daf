import Foundation

/// Raw loopback TCP for tests that send bytes no well-behaved client would.
enum RawTCP {
    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FixtureError.failed("socket errno \(errno)") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw FixtureError.failed("connect errno \(errno)")
        }
        return fd
    }

    /// Raw bytes to a TCP port: write, half-close, read whatever comes back.
    static func send(port: Int, bytes: [UInt8]) throws {
        let fd = try connect(port: port)
        defer { close(fd) }
        RawSocket.exchange(fd, bytes)
    }
}

enum RawUnix {
    static func send(path: String, bytes: [UInt8]) throws {
        let fd = try Rq1TestClient.connect(path: path)
        defer { close(fd) }
        RawSocket.exchange(fd, bytes)
    }
}

/// Sends one raw request and reads the reply until the server closes (at most 3 s).
enum RawHTTPClient {
    static func exchange(port: Int, _ request: String) throws -> [UInt8] {
        let fd = try RawTCP.connect(port: port)
        defer { close(fd) }
        try Rq1TestClient.writeAll(fd, Array(request.utf8))
        return RawSocket.read(fd, seconds: 3).bytes
    }
}

enum RawSocket {
    /// Writes, shuts down writing, and drains replies for at most two seconds.
    static func exchange(_ fd: Int32, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        shutdown(fd, Int32(SHUT_WR))
        _ = read(fd, seconds: 2)
    }

    /// What arrives until the peer closes (`closed`) or a read fails or times out.
    static func read(_ fd: Int32, seconds: Int) -> (bytes: [UInt8], closed: Bool) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n == 0 { return (received, true) }
            guard n > 0 else { return (received, false) }
            received += chunk[0..<n]
        }
    }
}
