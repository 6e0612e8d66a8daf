import Logging
import RQLoop

/// One `queue/<name>/queue.sock` per live queue, opened and closed as queues come and go.
final class QueueSockets {
    private let loop: EventLoop
    private let root: String
    private let commands: QueueCommands
    private let commit: GroupCommit
    private let logger: Logger
    private var servers: [String: Rq1Server] = [:]

    init(loop: EventLoop, root: String, commands: QueueCommands, commit: GroupCommit, logger: Logger) {
        self.loop = loop
        self.root = root
        self.commands = commands
        self.commit = commit
        self.logger = logger
    }

    /// Makes the open sockets match `names`.
    func sync(with names: [String]) {
        let wanted = Set(names)
        for (name, server) in servers where !wanted.contains(name) {
            server.close()
            servers[name] = nil
        }
        for name in names where servers[name] == nil {
            do {
                servers[name] = try Rq1Server(loop: loop, path: "\(root)/queue/\(name)/queue.sock") { [commands, commit] request in
                    commands.handle(queue: name, command: request.command, argument: request.argument) { commit.reply(request, $0) }
                }
            } catch {
                logger.error("cannot open socket for queue \(name): \(error)")
            }
        }
    }

    func closeAll() {
        for server in servers.values { server.close() }
        servers.removeAll()
    }
}
