import RQLoop

/// `config/queuemgr.sock`: rq1 requests answered by the manager commands.
final class ManagerSocket {
    private let server: Rq1Server

    /// `changed` runs after every command, so queue sockets follow creations and deletions.
    init(loop: EventLoop, path: String, commands: ManagerCommands, commit: GroupCommit, changed: @escaping () -> Void) throws {
        server = try Rq1Server(loop: loop, path: path) { request in
            commit.reply(request, commands.handle(command: request.command, argument: request.argument))
            changed()
        }
    }

    func close() { server.close() }
}
