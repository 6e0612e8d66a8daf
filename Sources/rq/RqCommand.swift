/// The commands of `bin/rq` (cli.md §5.1) and their help texts.
enum RqCommand: String, CaseIterable {
    case attachmesg
    case attachstatusmesg
    case clone
    case commitmesg
    case prepmesg
    case sendmesg
    case single_que
    case state
    case statuscountmesg
    case statusmesg
    case verify_rules

    /// `Valid commands are:` and one indented name per line, sorted like the original's list.
    static var commandList: String {
        "Valid commands are:\n" + allCases.map(\.rawValue).sorted().map { "  \($0)\n" }.joined()
    }

    private var synopsis: String {
        switch self {
        case .sendmesg, .prepmesg: "--dest QUEUE|URL [--relay-ok] [message options]"
        case .single_que: "--dest QUEUE [message options]"
        case .attachmesg: "--msg_id FULL_ID --pathname PATH [--name NAME] [--local_fs_only X]"
        case .commitmesg, .statusmesg, .state, .statuscountmesg, .attachstatusmesg, .clone: "--msg_id FULL_ID"
        case .verify_rules: "--path FILE [--verbose]"
        }
    }

    private var summary: String {
        switch self {
        case .sendmesg:
            "Create a message and queue it at once (queue RPC create_message). Prints `ok <full id>`."
        case .prepmesg:
            "Create a message in prep, for attachments and a later commitmesg (RPC prep_message).\nPrints `ok <full id>`."
        case .single_que:
            "Queue a message unless the queue already holds a queued one; then print that one's id\n(RPC single_que). Prints `ok <full id>`."
        case .attachmesg:
            "Hard-link a file into a message in prep (RPC attach_message). The path is made absolute\nfirst. Prints `ok <md5>-Attached successfully for Message: <full id> attachment`."
        case .commitmesg:
            "Move a message from prep to the queue (RPC commit_message). Prints `ok msg commited`."
        case .statusmesg:
            "Print a message's status (RPC get_message_status), e.g. `ok done - done sleeping`."
        case .state:
            "Print a message's state (RPC get_message_state), e.g. `ok que`."
        case .statuscountmesg:
            "Print how many times a message was resent (its `count`, RPC get_message), e.g. `ok 1`."
        case .attachstatusmesg:
            "Print `ok <n>` and one `<name> <md5> <size> <path>` line per attachment (RPC get_message)."
        case .clone:
            "Copy a done/relayed/err message into a new queued one (RPC clone_message).\nPrints `ok <new full id>`."
        case .verify_rules:
            "Check a JSON router rules file: an array of objects, each with `match` (an object of\nmessage field -> pattern strings, at least one) and `dest` (a non-empty string).\nPrints `ok` or `fail bad router rules file`."
        }
    }

    private var options: [(flag: String, help: String)] {
        let messageOptions: [(flag: String, help: String)] = [
            ("--src TEXT", "sender id stored in the message"),
            ("--param1 .. --param4 TEXT", "parameters passed to the queue script"),
            ("--due EPOCH", "run not before this time (seconds since 1970)"),
            ("--count N", "initial resend count"),
            ("--max_count N", "resend limit (queue default 15)"),
            ("--force_remote", "relay even if the destination is this host"),
        ]
        let messageId: [(flag: String, help: String)] = [("--msg_id FULL_ID", "full message id, any `…/q/<queue>/<id>`")]
        switch self {
        case .sendmesg, .prepmesg:
            return [
                ("--dest QUEUE|URL", "destination queue; an http: URL goes to the local relay queue"),
                ("--relay-ok", "required to send to an http: destination"),
            ] + messageOptions
        case .single_que:
            return [("--dest QUEUE", "destination queue (http: URLs are not relayed here)")] + messageOptions
        case .attachmesg:
            return messageId + [
                ("--pathname PATH", "file to attach; must be on the queue's file system"),
                ("--name NAME", "attachment name (default: the file's base name)"),
                ("--local_fs_only X", "accepted and passed on; the queue ignores it"),
            ]
        case .commitmesg, .statusmesg, .state, .statuscountmesg, .attachstatusmesg, .clone:
            return messageId
        case .verify_rules:
            return [
                ("--path FILE", "the rules file"),
                ("--verbose", "print each rule, and the reason a file is rejected"),
            ]
        }
    }

    /// The answer to `rq <command> --help`.
    var help: String {
        let common: [(flag: String, help: String)] = [
            ("--root DIR", "installation root (default: $RQ_ROOT, else the current directory)"),
            ("-h, --help", "show this help"),
        ]
        let rows = options + common
        let width = rows.map(\.flag.count).max() ?? 0
        let lines = rows.map { "  " + $0.flag.padding(to: width) + "  " + $0.help + "\n" }
        return "Usage: rq \(rawValue) \(synopsis)\n\n\(summary)\n\nOptions:\n" + lines.joined()
            + "\nOptions are `--name value`, `--name=value` or a bare `--flag`. Exit status 0 iff the\nfirst word printed is `ok`.\n"
    }
}

private extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
