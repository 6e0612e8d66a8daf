internal import CEvent
import Foundation

/// Building and printing the socket addresses listeners bind to and accept from.
enum SocketAddress {
    /// "127.0.0.1:5555", "[::1]:5555" or "unix".
    static func describe(_ address: UnsafePointer<sockaddr>?, length: Int32) -> String {
        guard let address, length >= MemoryLayout<sa_family_t>.size else { return "unknown" }
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                var addr = v4.pointee.sin_addr
                return "\(ntop(AF_INET, &addr)):\(UInt16(bigEndian: v4.pointee.sin_port))"
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                var addr = v6.pointee.sin6_addr
                return "[\(ntop(AF_INET6, &addr))]:\(UInt16(bigEndian: v6.pointee.sin6_port))"
            }
        case AF_UNIX:
            return "unix"
        default:
            return "unknown"
        }
    }

    private static func ntop(_ family: Int32, _ addr: UnsafeRawPointer) -> String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        guard inet_ntop(family, addr, &text, socklen_t(text.count)) != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A sockaddr_un for `path`; throws when the path does not fit in sun_path.
    static func unix(path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity, !bytes.contains(0) else {
            throw LoopError("unix socket path \(path)", code: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }

    /// Every address `host:port` resolves to for a passive (listening) socket, in resolver order.
    static func resolvePassive(host: String, port: Int) throws -> [[UInt8]] {
        guard (0...65535).contains(port) else { throw LoopError("port \(port)", code: EINVAL) }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = rq_sock_stream()
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &list)
        guard status == 0, let list else { throw LoopError("getaddrinfo(\(host))", code: status) }
        defer { freeaddrinfo(list) }
        var addresses: [[UInt8]] = []
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let current = entry {
            if let addr = current.pointee.ai_addr {
                let raw = UnsafeRawBufferPointer(start: addr, count: Int(current.pointee.ai_addrlen))
                addresses.append(Array(raw))
            }
            entry = current.pointee.ai_next
        }
        return addresses
    }
}
