/// Request line and headers, as received (nothing percent-decoded).
public struct HTTPRequestHead {
    public var method: String
    /// The request target exactly as sent (`/q/x?a=1`, or absolute-form `http://h/q/x`).
    public var target: String
    /// The path part of the target, raw (not percent-decoded).
    public var path: String
    /// The query part of the target without `?`, raw; `""` when there is none.
    public var query: String
    public var version: (major: Int, minor: Int)
    /// In the order received, names as sent.
    public var headers: [(name: String, value: String)]
    /// Whether the connection may stay open after this request (version rules + `Connection`).
    public var keepAlive: Bool

    public init(
        method: String, target: String, version: (major: Int, minor: Int),
        headers: [(name: String, value: String)], keepAlive: Bool
    ) {
        self.method = method
        self.target = target
        let parts = RequestTarget.split(target)
        self.path = parts.path
        self.query = parts.query
        self.version = version
        self.headers = headers
        self.keepAlive = keepAlive
    }

    /// First value of a header, name compared case-insensitively.
    public func header(_ name: String) -> String? { headers.firstValue(named: name) }

    /// The declared `Content-Length`, when present and well formed (the parser has already
    /// rejected malformed or duplicated ones).
    public var contentLength: Int64? {
        header("Content-Length").flatMap { Int64($0.trimmingASCIISpaces()) }
    }

    /// Whether the body arrives with chunked transfer coding.
    public var isChunked: Bool {
        header("Transfer-Encoding").map { $0.lowercased().contains("chunked") } ?? false
    }
}

/// Splits a request target into raw path and query. Hand-written rather than
/// `http_parser_parse_url` because that one stores offsets in 16 bits and so fails on long
/// targets that the request parser itself accepted.
enum RequestTarget {
    static func split(_ target: String) -> (path: String, query: String) {
        var rest = Substring(target)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if !rest.hasPrefix("/"), let scheme = rest.range(of: "://") {
            // absolute-form: drop scheme and authority; an empty path means "/".
            let afterAuthority = rest[scheme.upperBound...]
            if let slash = afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" }) {
                rest = afterAuthority[slash...]
                if rest.hasPrefix("?") { return ("/", String(rest.dropFirst())) }
            } else {
                return ("/", "")
            }
        }
        guard let question = rest.firstIndex(of: "?") else { return (String(rest), "") }
        return (String(rest[..<question]), String(rest[rest.index(after: question)...]))
    }
}

extension StringProtocol {
    /// Trims spaces and horizontal tabs (HTTP optional whitespace), nothing else.
    func trimmingASCIISpaces() -> String {
        let bytes = Array(utf8)
        var low = 0
        var high = bytes.count
        while low < high, bytes[low] == 0x20 || bytes[low] == 0x09 { low += 1 }
        while high > low, bytes[high - 1] == 0x20 || bytes[high - 1] == 0x09 { high -= 1 }
        return String(decoding: bytes[low..<high], as: UTF8.self)
    }
}
