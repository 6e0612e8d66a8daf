import RQStore

/// `sendmesg`, `prepmesg` and `single_que` (cli.md §5.1.2).
struct MessageCreation {
    /// Options copied into the message; everything else (e.g. `relay-ok`, `root`) stays local.
    static let messageKeys = [
        "dest", "src", "count", "max_count", "param1", "param2", "param3", "param4", "due", "force_remote",
    ]

    enum Kind {
        case send, prep, singleQue

        var rpc: String {
            switch self {
            case .send: "create_message"
            case .prep: "prep_message"
            case .singleQue: "single_que"
            }
        }

        /// The original's single_que has its relay branch commented out: an http: dest is
        /// taken as a queue name there (and so is not found).
        var relaysHTTP: Bool {
            switch self {
            case .send, .prep: true
            case .singleQue: false
            }
        }
    }

    let kind: Kind
    let installation: Installation

    func run(_ arguments: LooseArguments) throws(CLIFailure) -> CommandOutput {
        let dest = try arguments.requiredString("dest")
        var queue = dest
        if kind.relaysHTTP, dest.hasPrefix("http:") {
            // Required even for URLs that point back at this host (relay.md).
            guard arguments.has("relay-ok") else { throw CLIFailure("Cannot relay message") }
            queue = "relay"
        }
        let fields = try Self.checkedFields(arguments)
        let client = try installation.queueClient(queue)
        let reply = try client.call(kind.rpc, fields)
        return .reply(ReplyLine.plain(reply), ok: ReplyLine.isOK(reply))
    }

    /// The message fields with `--due` as seconds and `--count`/`--max_count` checked: the queue
    /// turns any text into a number (`to_i`), so a typo would silently become 0.
    static func checkedFields(_ arguments: LooseArguments) throws(CLIFailure) -> JSONObject {
        var fields = arguments.jsonFields(messageKeys)
        if let due = try arguments.optionalString("due") {
            guard let seconds = DueTime.parse(due) else {
                throw CLIFailure("--due \(due) is not a time: give seconds since 1970 or a date like 2026-12-01T06:30")
            }
            fields["due"] = .string(seconds)
        }
        for key in ["count", "max_count"] {
            guard let text = try arguments.optionalString(key) else { continue }
            guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw CLIFailure("--\(key) \(text) is not a whole number")
            }
        }
        return fields
    }
}
