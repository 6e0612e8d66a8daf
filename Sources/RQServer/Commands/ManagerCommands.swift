import RQStore

/// The manager socket (`config/queuemgr.sock`) commands of uds-protocol §4.3: decodes the rq1
/// command and argument, calls the typed `ManagerOperations`, encodes the reply. Knows
/// nothing of sockets.
public final class ManagerCommands {
    let operations: ManagerOperations

    public init(operations: ManagerOperations) {
        self.operations = operations
    }

    public func handle(command: String, argument: String) -> String {
        let ops = operations
        let name = CommandArgument.name(argument)
        switch command {
        case "ping": return Reply.single("pong")
        case "environment": return Reply.single(.string(ops.environment))
        case "version": return Reply.single(.string(ops.version))
        case "uptime": return Reply.single(.int(ops.uptime))
        case "queues": return Reply.raw(.array(ops.queues.map { .string($0) }))
        case "up_queue": return Reply.of(ops.change(.up, queue: name)) { Reply.ok(.string(name)) }
        case "down_queue": return Reply.of(ops.change(.down, queue: name)) { Reply.ok(.string(name)) }
        case "pause_queue": return Reply.of(ops.change(.pause, queue: name)) { Reply.ok(.string(name)) }
        case "resume_queue": return Reply.of(ops.change(.resume, queue: name)) { Reply.ok(.string(name)) }
        case "restart_queue": return Reply.of(ops.restart(queue: name)) { Reply.ok(.string(name)) }
        case "create_queue":
            guard let fields = CommandArgument.object(argument) else { return Reply.fail("json config is not a JSON object") }
            return Reply.of(ops.createQueue(fields)) { _ in Reply.created }
        case "create_queue_link": return Reply.of(ops.createQueueLink(configPath: name)) { _ in Reply.created }
        case "delete_queue": return Reply.of(ops.deleteQueue(name)) { Reply.deletingQueue }
        default: return Reply.single("error")
        }
    }
}
