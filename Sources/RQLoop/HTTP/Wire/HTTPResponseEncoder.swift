internal import CHTTPParser

/// Serialises a response head. The status line always says HTTP/1.1 (as the original did,
/// whatever the client's version); reason phrases come from http-parser's status table.
enum HTTPResponseEncoder {
    /// Headers the session decides itself.
    private static let reserved: Set<String> = ["content-length", "connection", "transfer-encoding", "keep-alive"]

    /// Statuses whose responses never have a body (and so no Content-Length either).
    static func forbidsBody(_ status: Int) -> Bool {
        (100..<200).contains(status) || status == 204 || status == 304
    }

    static func asksToClose(_ response: HTTPResponse) -> Bool {
        response.headers.contains { $0.0.lowercased() == "connection" && $0.1.lowercased().contains("close") }
    }

    static func reasonPhrase(_ status: Int) -> String {
        guard let code = UInt32(exactly: status), let text = http_status_str(http_status(rawValue: code)) else {
            return "Unknown"
        }
        let phrase = String(cString: text)
        return phrase == "<unknown>" ? "Unknown" : phrase
    }

    /// - Parameters:
    ///   - close: whether the session closes after this response (`Connection: close`).
    ///   - keepAliveHeader: whether to say `Connection: keep-alive` (HTTP/1.0 clients that asked).
    static func head(_ response: HTTPResponse, close: Bool, keepAliveHeader: Bool) -> [UInt8] {
        var text = "HTTP/1.1 \(response.status) \(reasonPhrase(response.status))\r\n"
        for (name, value) in response.headers where !reserved.contains(name.lowercased()) {
            text += "\(sanitized(name)): \(sanitized(value))\r\n"
        }
        if !forbidsBody(response.status) {
            text += "Content-Length: \(response.body.length)\r\n"
        }
        if close {
            text += "Connection: close\r\n"
        } else if keepAliveHeader {
            text += "Connection: keep-alive\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// Line breaks in a header would let a value inject headers; they become spaces.
    static func sanitized(_ text: String) -> String {
        guard text.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return text }
        return String(text.map { $0 == "\r" || $0 == "\n" || $0 == "\r\n" ? " " : $0 })
    }
}
