import Foundation
import RQWire

/// A blocking rq1 client for tests: connect, one frame out, one frame back.
enum Rq1TestClient {
    static func request(path: String, payload: String) throws -> String {
        let fd = try connect(path: path)
        defer { close(fd) }
        try writeAll(fd, Rq1Codec.encode(payload))
        return String(decoding: try readFrame(fd), as: UTF8.self)
    }

    static func connect(path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FixtureError.failed("socket") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { close(fd); throw FixtureError.failed("path too long") }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard ok == 0 else { close(fd); throw FixtureError.failed("connect \(path): errno \(errno)") }
        return fd
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw FixtureError.failed("write errno \(errno)") }
            offset += n
        }
    }

    static func readExactly(_ fd: Int32, _ count: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = buffer[got...].withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw FixtureError.failed("short read") }
            got += n
        }
        return buffer
    }

    static func readFrame(_ fd: Int32) throws -> [UInt8] {
        let header = try readExactly(fd, Rq1Codec.headerSize)
        guard let size = try Rq1Codec.payloadSize(header: header) else { throw FixtureError.failed("bad header") }
        return try readExactly(fd, size)
    }
}
