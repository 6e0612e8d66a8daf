import Foundation
import Glibc

/// `attachmesg` (cli.md §5.1.3): make the path absolute, pre-check it locally with the queue's
/// own texts, then ask the queue to hard-link it into the message.
struct AttachCommand {
    let installation: Installation
    let currentDirectory: String

    func run(_ arguments: LooseArguments) throws(CLIFailure) -> CommandOutput {
        let id = try FullMessageId(arguments.requiredString("msg_id"))
        let pathname = absolutePath(try arguments.requiredString("pathname"))
        try Self.precheck(pathname)
        let client = QueueSocketClient(queue: id.queue, socketPath: try installation.queueSocketPath(id.queue))
        var fields = arguments.jsonFields(["name", "local_fs_only"])
        fields["msg_id"] = .string(id.shortId)
        fields["pathname"] = .string(pathname)
        let reply = try client.call("attach_message", .object(fields))
        return .reply(ReplyLine.plain(reply) + " for Message: \(id.full) attachment", ok: ReplyLine.isOK(reply))
    }

    /// Ruby's `File.expand_path`: `~` expanded, relative to the current directory, `.`/`..`
    /// removed, symlinks kept (the queue hard-links the path it is given).
    private func absolutePath(_ path: String) -> String {
        let base = URL(fileURLWithPath: currentDirectory, isDirectory: true)
        return URL(fileURLWithPath: (path as NSString).expandingTildeInPath, relativeTo: base).standardizedFileURL.path
    }

    /// The original's checks, in its order (existence and type follow symlinks like Ruby's).
    /// (orig bug: a failing check raised NoMethodError; we print `fail <text>`.)
    static func precheck(_ pathname: String) throws(CLIFailure) {
        var info = stat()
        guard stat(pathname, &info) == 0 else {
            throw CLIFailure("No such file \(pathname) to attach to message")
        }
        let type = info.st_mode & S_IFMT
        guard type != S_IFDIR else { throw CLIFailure("Attachment currently cannot be a directory \(pathname)") }
        guard access(pathname, R_OK) == 0 else { throw CLIFailure("Attachment currently cannot be read: \(pathname)") }
        guard type == S_IFREG else { throw CLIFailure("Attachment currently not of supported type: \(pathname)") }
    }
}
