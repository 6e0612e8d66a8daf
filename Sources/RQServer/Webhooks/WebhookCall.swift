import RQStore

/// One post-run webhook delivery (reference relay.md §7.6), pure: the POST built from a
/// `webhook` queue message (`param1` the URL, `param2` the finished message's JSON) and the
/// status line its answer becomes.
enum WebhookCall {
    /// The original's resend base: `count² × 60` seconds.
    static let defaultBackoffBase = 60.0

    enum Problem: Error, Equatable, CustomStringConvertible {
        case badURL(String)

        var description: String {
            switch self {
            case .badURL(let url): return "Bad webhook URL (only http:// is posted to): \(url)"
            }
        }
    }

    static func url(of message: Message) throws(Problem) -> String {
        let url = message.paramText(1)
        guard url.lowercased().hasPrefix("http://"), url.count > 7, !url.contains(where: \.isWhitespace) else {
            throw .badURL(url)
        }
        return url
    }

    /// `x_format=json&mesg={src, param1..4, orig_msg_id, dest}` where the keys come from the
    /// finished message and `dest` is the URL's path without its last segment
    /// (`http://h:3333/q/foo/new_message` → `/q/foo`).
    static func request(for message: Message) throws(Problem) -> RelayRequest {
        let url = try url(of: message)
        let finished = (try? JSONValue.parse(message.paramText(2)))?.objectValue ?? [:]
        var mesg = JSONObject()
        for key in ["src", "param1", "param2", "param3", "param4", "orig_msg_id"] {
            if let value = finished[key] { mesg[key] = value }
        }
        mesg["dest"] = .string(destPath(of: url))
        return RelayRequest(url: url, body: .form([.init(name: "x_format", value: "json"),
                                                   .init(name: "mesg", value: JSONValue.object(mesg).compactString)]))
    }

    static func destPath(of url: String) -> String {
        let afterScheme = url.dropFirst("http://".count)
        let path = afterScheme.drop { $0 != "/" }.prefix { $0 != "?" && $0 != "#" }
        guard let lastSlash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<lastSlash])
    }

    /// The status line for the answer: `done successfull post <code>` for 2xx (the original's
    /// spelling), otherwise a `resend` with the backoff (the completion rules turn it into
    /// `err` past `max_count`).
    static func statusLine(for reply: RelayReply, url: String, count: Int, backoff: RetryBackoff, jitter: Double) -> String {
        let wait = backoff.delay(count: count, unit: jitter)
        switch reply {
        case .response(let status, _) where (200...299).contains(status):
            return "done successfull post \(status)"
        case .response(let status, let body):
            return "resend \(wait)-Could not POST to URL: HTTP \(status) \(BodySnippet.of(body))"
        case .unreachable, .unusable:
            return "resend \(wait)-Could not connect to or parse URL: \(url)"
        }
    }
}
