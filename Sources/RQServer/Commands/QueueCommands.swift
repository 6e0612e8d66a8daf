import Foundation
import RQStore

/// The queue socket (`queue/<name>/queue.sock`) commands of uds-protocol §4.4: decodes the rq1
/// command and argument, calls the typed `QueueOperations`, encodes the reply. Knows nothing
/// of sockets.
public final class QueueCommands {
    let operations: QueueOperations

    static let unknownCommand = #"[ "ERROR" ]"#

    public init(operations: QueueOperations) {
        self.operations = operations
    }

    /// Like `handle`, for callers that can wait: `attach_message` hashes its file a slice per
    /// loop turn, so a gigabyte attachment does not stall every other client, and
    /// `get_message` first hashes (likewise) attachments whose md5 is not known yet. Every
    /// other command replies at once.
    public func handle(queue: String, command: String, argument: String, reply: @escaping (String) -> Void) {
        let answer = { [self] in reply(handle(queue: queue, command: command, argument: argument)) }
        let object = CommandArgument.object(argument)
        switch command {
        case "attach_message":
            guard let request = AttachRequest(object) else { return answer() }
            operations.attachInSlices(queue, request.id, pathname: request.pathname, name: request.name) {
                reply(Reply.of($0, Reply.attached))
            }
        case "get_message":
            guard let id = CommandArgument.msgID(object), case .success = operations.availability(queue) else { return answer() }
            operations.warmDigests(queue, id, then: answer)
        default:
            answer()
        }
    }

    public func handle(queue: String, command: String, argument: String) -> String {
        let ops = operations
        let object = CommandArgument.object(argument)
        switch command {
        case "ping": return Reply.of(ops.ping(queue)) { Reply.single("pong") }
        case "shutdown": return Reply.of(ops.ping(queue)) { Reply.ok() }
        case "uptime": return Reply.of(ops.uptime(queue)) { Reply.single(.int($0)) }
        case "config": return Reply.of(ops.config(queue)) { Reply.ok($0.json) }
        case "status": return Reply.of(ops.status(queue)) { Reply.single(.string($0.rawValue)) }
        case "create_message": return create(queue, object, .commit)
        case "prep_message": return create(queue, object, .prep)
        case "single_que": return create(queue, object, .singleQue)
        case "create_messages":
            return Reply.of(ops.availability(queue).flatMap { MessageBatch.entries(jsonArray: argument) }.flatMap { ops.createBatch(queue, $0) }) {
                Reply.ok(MessageBatch.json($0))
            }
        case "attach_message":
            guard let request = AttachRequest(object) else { return refuse(queue, AttachRequest.problem(object)) }
            return Reply.of(ops.attach(queue, request.id, pathname: request.pathname, name: request.name), Reply.attached)
        case "delete_attach_message":
            return withMsgID(queue, object) { id in
                guard case .string(let name)? = object?["attachment_name"] else { return refuse(queue, .lacking(field: "attachment_name")) }
                return Reply.of(ops.deleteAttachment(queue, id, name: name)) { Reply.attachmentDeleted }
            }
        case "commit_message": return withMsgID(queue, object) { Reply.of(ops.commit(queue, $0)) { Reply.committed } }
        case "get_message": return withMsgID(queue, object) { Reply.of(ops.message(queue, $0)) { Reply.ok(.object($0)) } }
        case "get_message_state":
            return withMsgID(queue, object) { Reply.of(ops.state(queue, $0)) { Reply.ok(.string($0.rawValue)) } }
        case "get_message_status":
            return withMsgID(queue, object) { Reply.of(ops.messageStatus(queue, $0)) { Reply.ok(.object($0)) } }
        case "delete_message": return withMsgID(queue, object) { Reply.of(ops.delete(queue, $0)) { Reply.deleted } }
        case "destroy_message": return withMsgID(queue, object) { Reply.of(ops.destroy(queue, $0)) { Reply.destroyed } }
        case "run_message":
            return withMsgID(queue, object) { Reply.of(ops.runNow(queue, $0)) { Reply.sentToFront } }
        case "clone_message": return withMsgID(queue, object) { Reply.of(ops.clone(queue, $0)) { Reply.ok(.string($0)) } }
        case "num_messages": return Reply.of(ops.counts(queue)) { Reply.raw(.object($0.json)) }
        case "messages": return messages(queue, object)
        case "ack_errs": return Reply.of(ops.ackErrs(queue)) { Reply.ok(.int($0)) }
        default: return Reply.of(ops.availability(queue)) { Self.unknownCommand }
        }
    }

    /// A malformed argument: the queue's own refusal (missing, DOWN) comes first, as in the
    /// original, which checked the queue before reading the argument.
    func refuse(_ queue: String, _ error: QueueError) -> String {
        Reply.of(operations.availability(queue).flatMap { .failure(error) }) { "" }
    }

    /// create_message, prep_message, single_que: a non-object argument has no `dest` either.
    func create(_ queue: String, _ object: JSONObject?, _ mode: CreateMode) -> String {
        guard let object else { return refuse(queue, .refused(Message.missingDest)) }
        return Reply.of(operations.create(queue, object, mode: mode)) { Reply.ok(.string($0)) }
    }

    /// Runs `body` with the argument's short `msg_id`.
    func withMsgID(_ queue: String, _ object: JSONObject?, _ body: (String) -> String) -> String {
        guard let id = CommandArgument.msgID(object) else { return refuse(queue, .lacking(field: "msg_id")) }
        return body(id)
    }

    func messages(_ queue: String, _ object: JSONObject?) -> String {
        let state: String
        switch object?["state"] {
        case .string(let s)?: state = s
        case nil, .null?: state = ""
        case let other?: state = other.compactString
        }
        let limit = CommandArgument.integer(object?["limit"]) ?? 20
        let filter = object?["filter"]?.stringValue
        return Reply.of(operations.messages(queue, state: state, limit: limit, filter: filter)) { Reply.raw($0) }
    }
}
