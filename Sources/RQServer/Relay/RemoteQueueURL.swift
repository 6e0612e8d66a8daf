/// A relay message's `dest` taken apart: the remote RQ's queue URL (`http://host:port/q/<queue>`,
/// the shortest prefix matching `.*?/q/[^/]+` as the original's relay script cut it) and its
/// parts. Only plain `http` is spoken (the original had no https either); anything else is a
/// malformed dest that no retry can fix.
struct RemoteQueueURL: Equatable, Sendable {
    /// `http://host:port`
    let origin: String
    let host: String
    let port: Int
    let queue: String

    /// `http://host:port/q/<queue>`
    var queueURL: String { origin + "/q/" + queue }
    var newMessageURL: String { queueURL + "/new_message" }

    enum ParseError: Error, Equatable, CustomStringConvertible {
        case notHTTP(String)
        case noHost(String)
        case badPort(String)
        case noQueue(String)

        var description: String {
            switch self {
            case .notHTTP(let dest): return "Bad dest URL (only http://host:port/q/<queue> is relayed): \(dest)"
            case .noHost(let dest): return "Bad dest URL (no host): \(dest)"
            case .badPort(let dest): return "Bad dest URL (bad port): \(dest)"
            case .noQueue(let dest): return "Bad dest URL (no /q/<queue>): \(dest)"
            }
        }
    }

    static func parse(_ dest: String) throws(ParseError) -> RemoteQueueURL {
        let scheme = "http://"
        guard dest.lowercased().hasPrefix(scheme) else { throw .notHTTP(dest) }
        let rest = dest.dropFirst(scheme.count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        guard !authority.isEmpty, !authority.contains("@"), !authority.contains(where: \.isWhitespace) else {
            throw .noHost(dest)
        }
        let (host, port) = try splitAuthority(authority, dest: dest)
        guard path.hasPrefix("/q/") else { throw .noQueue(dest) }
        let queue = path.dropFirst(3).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !queue.isEmpty, !queue.contains(where: \.isWhitespace) else { throw .noQueue(dest) }
        return RemoteQueueURL(origin: "http://" + authority, host: host, port: port, queue: String(queue))
    }

    private static func splitAuthority(_ authority: Substring, dest: String) throws(ParseError) -> (String, Int) {
        // A bracketed IPv6 literal keeps its colons: [::1]:3333
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .noHost(dest) }
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.isEmpty { return (host, 80) }
            guard after.hasPrefix(":") else { throw .noHost(dest) }
            return (host, try port(after.dropFirst(), dest: dest))
        }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        guard !parts[0].isEmpty else { throw .noHost(dest) }
        switch parts.count {
        case 1: return (String(parts[0]), 80)
        case 2: return (String(parts[0]), try port(parts[1], dest: dest))
        default: throw .badPort(dest)
        }
    }

    private static func port(_ text: Substring, dest: String) throws(ParseError) -> Int {
        guard !text.isEmpty, text.allSatisfy(\.isASCII), let value = Int(text), (1...65535).contains(value) else {
            throw .badPort(dest)
        }
        return value
    }
}
