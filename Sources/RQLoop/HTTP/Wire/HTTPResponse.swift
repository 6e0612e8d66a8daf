import Foundation

/// What follows the response head.
public enum HTTPBody {
    case bytes([UInt8])
    /// `length` bytes of `fd` from `offset`; the session (then the transport) owns the fd.
    case file(fd: Int32, offset: Int64, length: Int64)
    case empty

    var length: Int64 {
        switch self {
        case .bytes(let bytes): Int64(bytes.count)
        case .file(_, _, let length): length
        case .empty: 0
        }
    }
}

/// A response a handler gives its `HTTPResponder`. The session adds `Content-Length` and
/// `Connection` itself; a handler's own values for those (and `Transfer-Encoding`) are dropped,
/// except that `Connection: close` asks the session to close after this response.
public struct HTTPResponse {
    public var status: Int
    public var headers: [(String, String)]
    public var body: HTTPBody

    public init(status: Int, headers: [(String, String)] = [], body: HTTPBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func json(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: .bytes(Array(text.utf8)))
    }

    /// `{"error": message}` as JSON (slashes unescaped, like the rest of the API).
    public static func jsonError(_ status: Int, _ message: String) -> HTTPResponse {
        json(status, errorJSON(message))
    }

    public static func text(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: .bytes(Array(text.utf8)))
    }

    public static func html(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "text/html;charset=utf-8")], body: .bytes(Array(text.utf8)))
    }

    public static func redirect(_ status: Int = 303, location: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Location", location)], body: .empty)
    }

    static func errorJSON(_ message: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: ["error": message], options: [.withoutEscapingSlashes])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? #"{"error":"internal error"}"#
    }
}
