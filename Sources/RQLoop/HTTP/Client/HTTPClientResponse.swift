/// A complete response (never 1xx or 3xx: those are skipped or reported as errors).
public struct HTTPClientResponse {
    public let status: Int
    /// In the order received, names as sent.
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// First value of a header, name compared case-insensitively.
    public func header(_ name: String) -> String? { headers.firstValue(named: name) }

    /// The body as UTF-8 (invalid bytes replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
