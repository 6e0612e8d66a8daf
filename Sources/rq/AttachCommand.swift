import Foundation
import RQStore

/// `attachmesg` (cli.md §5.1.3): make the path absolute, pre-check it locally with the queue's
/// own texts, then ask the queue to hard-link it into the message.
struct AttachCommand {
    let installation: Installation
    let currentDirectory: String

    func run(_ arguments: LooseArguments) throws(CLIFailure) -> CommandOutput {
        let id = try FullMessageId(arguments.requiredString("msg_id"))
        let pathname = absolutePath(try arguments.requiredString("pathname"))
        try Self.precheck(pathname)
        let client = try installation.queueClient(id.queue)
        var fields = arguments.jsonFields(["name", "local_fs_only"])
        fields["msg_id"] = .string(id.shortId)
        fields["pathname"] = .string(pathname)
        let reply = try client.call("attach_message", fields)
        return .reply(ReplyLine.plain(reply) + " for Message: \(id.full) attachment", ok: ReplyLine.isOK(reply))
    }

    /// Ruby's `File.expand_path`: `~` expanded, relative to the current directory, `.`/`..`
    /// removed, symlinks kept (the queue hard-links the path it is given).
    private func absolutePath(_ path: String) -> String {
        let base = URL(fileURLWithPath: currentDirectory, isDirectory: true)
        return URL(fileURLWithPath: (path as NSString).expandingTildeInPath, relativeTo: base).standardizedFileURL.path
    }

    /// The queue's own checks and texts (RQStore's `AttachmentSource`), run locally first as the
    /// original client did. (orig bug: a failing check raised NoMethodError; we print
    /// `fail <text>`.)
    static func precheck(_ pathname: String) throws(CLIFailure) {
        do {
            try AttachmentSource.check(pathname)
        } catch {
            throw CLIFailure(error.reason)
        }
    }
}
