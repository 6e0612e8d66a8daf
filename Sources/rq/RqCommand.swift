import Foundation

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

    /// `rq`, `rq help`, `rq --help`: the original's `Valid commands are:` list (two-space indent,
    /// the name first, sorted), each with a one-line summary, then how the root is found.
    static var overview: String {
        let width = allCases.map(\.rawValue.count).max() ?? 0
        let lines = allCases.sorted { $0.rawValue < $1.rawValue }.map {
            "  " + $0.rawValue.padding(to: width) + "  " + $0.oneLine + "\n"
        }
        return "Valid commands are:\n" + lines.joined() + """

            Usage: rq <command> [--option value | --option=value | --flag]...
                   rq help <command>   (or rq <command> --help): its options and output

            Installation root: --root DIR (before or after the command), else $RQ_ROOT, else the
            current directory. It is the directory `rq-server install` created: config/config.json
            and queue/<name>/queue.sock, the socket rq talks to.

            """
    }

    /// The options each command takes (besides `--root`, `-h`/`--help`); any other is an error.
    var acceptedOptions: Set<String> {
        switch self {
        case .sendmesg, .prepmesg, .single_que: Set(MessageCreation.messageKeys + ["relay-ok"])
        case .attachmesg: ["msg_id", "pathname", "name", "local_fs_only"]
        case .commitmesg, .statusmesg, .state, .statuscountmesg, .attachstatusmesg, .clone: ["msg_id"]
        case .verify_rules: ["path", "verbose"]
        }
    }

    private var oneLine: String {
        switch self {
        case .sendmesg: "create a message and queue it"
        case .prepmesg: "create a message in prep (attach files, then commitmesg)"
        case .single_que: "queue a message unless one is already queued"
        case .attachmesg: "attach a file to a message in prep"
        case .commitmesg: "queue a message that is in prep"
        case .statusmesg: "print a message's status"
        case .state: "print a message's state"
        case .statuscountmesg: "print how many times a message was resent"
        case .attachstatusmesg: "list a message's attachments"
        case .clone: "copy a finished message into a new queued one"
        case .verify_rules: "check a router rules file"
        }
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
            ("--due TIME", "run not before TIME: seconds since 1970, or a date such as\n2026-12-01, 2026-12-01T06:30, 2026-12-01 06:30:00Z (local time\nunless Z or +HH:MM is given)"),
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
        let indent = "\n" + String(repeating: " ", count: width + 4)
        let lines = rows.map {
            "  " + $0.flag.padding(to: width) + "  " + $0.help.replacingOccurrences(of: "\n", with: indent) + "\n"
        }
        return "Usage: rq \(rawValue) \(synopsis)\n\n\(summary)\n\nOptions:\n" + lines.joined()
            + "\nOptions are `--name value`, `--name=value` or a bare `--flag`. Exit status 0 iff the\nfirst word printed is `ok`.\n"
    }
}

private extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
