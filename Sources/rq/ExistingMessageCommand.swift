import RQStore

/// The commands on an existing message that only send its short id (cli.md §5.1.3):
/// `commitmesg`, `statusmesg`, `state`, `statuscountmesg`, `attachstatusmesg`, `clone`.
struct ExistingMessageCommand {
    enum Kind {
        case commit, status, state, statusCount, attachStatus, clone

        var rpc: String {
            switch self {
            case .commit: "commit_message"
            case .status: "get_message_status"
            case .state: "get_message_state"
            case .statusCount, .attachStatus: "get_message"
            case .clone: "clone_message"
            }
        }
    }

    let kind: Kind
    let installation: Installation

    func run(_ arguments: LooseArguments) throws(CLIFailure) -> CommandOutput {
        let id = try FullMessageId(arguments.requiredString("msg_id"))
        let client = try installation.queueClient(id.queue)
        let reply = try client.call(kind.rpc, ["msg_id": .string(id.shortId)])
        guard ReplyLine.isOK(reply) else { return .reply(ReplyLine.plain(reply), ok: false) }
        let body = reply.count > 1 ? reply[1] : .null
        switch kind {
        case .commit, .state, .clone:
            return .reply(ReplyLine.plain(reply), ok: true)
        case .status:
            return .reply("ok " + (body["status"] ?? .null).displayText, ok: true)
        case .statusCount:
            return .reply("ok " + (body["count"] ?? .string("0")).displayText, ok: true)
        case .attachStatus:
            return CommandOutput(stdout: Self.attachmentLines(body), exitStatus: 0)
        }
    }

    /// `ok <n>` then `<name> <md5> <size> <path>` per attachment, listed by name: the original
    /// followed the queue's directory order, which is unspecified, so a stable order is kinder.
    static func attachmentLines(_ message: JSONValue) -> String {
        guard case .object(let attachments)? = message["_attachments"] else { return "ok 0\n" }
        let lines = attachments.keys.sorted().map { name in
            let info = attachments[name] ?? .null
            let fields = ["md5", "size", "path"].map { (info[$0] ?? .null).displayText }
            return ([name] + fields).joined(separator: " ") + "\n"
        }
        return "ok \(lines.count)\n" + lines.joined()
    }
}
