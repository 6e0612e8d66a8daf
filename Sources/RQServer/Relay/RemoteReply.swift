import RQStore

/// The JSON answer of an RQ web API call made with `x_format=json`: `["ok", text]` or
/// `["fail", text]` (rest-api.md). Anything else means the peer is not speaking RQ.
enum RemoteReply: Equatable, Sendable {
    case ok(String)
    case fail(String)
    /// Valid JSON of another shape.
    case unexpected
    /// Not JSON at all (an HTML error page, a proxy, not an RQ server).
    case notJSON

    static let cannotFindMessage = "cannot find message"

    init(body: String) {
        guard let value = try? JSONValue.parse(body) else {
            self = .notJSON
            return
        }
        guard let array = value.arrayValue, array.count == 2, let verdict = array[0].stringValue else {
            self = .unexpected
            return
        }
        let text = array[1].stringValue ?? array[1].compactString
        switch verdict {
        case "ok": self = .ok(text)
        case "fail": self = .fail(text)
        default: self = .unexpected
        }
    }

    /// The remote lost the message we prepared (expired, deleted, or the remote was reset).
    var isLostMessage: Bool { self == .fail(Self.cannotFindMessage) }
}

/// A long body in one log line or status: the start is enough to tell what answered.
enum BodySnippet {
    static let limit = 300

    static func of(_ body: String) -> String {
        let flat = body.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
            .trimmingCharacters(in: .whitespaces)
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "…"
    }
}
