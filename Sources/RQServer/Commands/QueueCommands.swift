import Foundation
import RQStore

/// The queue socket (`queue/<name>/queue.sock`) commands of uds-protocol §4.4, over the
/// registry's stores. Returns reply payloads; knows nothing of sockets.
public final class QueueCommands {
    let registry: QueueRegistry
    let workers: WorkerControl
    let startTime: Double
    let now: () -> Double
    /// Runs work in a later loop turn (`EventLoop.runSoon`): long jobs go in slices.
    let later: (@escaping () -> Void) -> Void
    /// Counts created messages for /metrics.
    var metrics: ServerMetrics?

    /// Commands answered even when the queue is admin DOWN.
    static let alwaysAnswered: Set<String> = ["ping", "uptime", "config", "status", "shutdown"]
    static let lackingMsgID = Reply.fail("lacking 'msg_id' field")
    static let unknownCommand = #"[ "ERROR" ]"#

    public init(registry: QueueRegistry, workers: WorkerControl, startTime: Double,
                now: @escaping () -> Double = { Date().timeIntervalSince1970 },
                later: @escaping (@escaping () -> Void) -> Void = { $0() }) {
        self.registry = registry
        self.workers = workers
        self.startTime = startTime
        self.now = now
        self.later = later
    }

    /// Like `handle`, for callers that can wait: `attach_message` hashes its file a slice per
    /// loop turn, so a gigabyte attachment does not stall every other client, and
    /// `get_message` first hashes (likewise) attachments whose md5 is not known yet. Every
    /// other command replies at once.
    public func handle(queue: String, command: String, argument: String, reply: @escaping (String) -> Void) {
        let answer = { [self] in reply(handle(queue: queue, command: command, argument: argument)) }
        guard let store = registry.queue(queue), store.adminStatus != .down else { return answer() }
        switch command {
        case "attach_message":
            attachInSlices(store, CommandArgument.object(argument), reply: reply)
        case "get_message":
            guard let id = CommandArgument.msgID(CommandArgument.object(argument)) else { return answer() }
            warmDigests(queue: queue, msgID: id, then: answer)
        default:
            answer()
        }
    }

    public func handle(queue: String, command: String, argument: String) -> String {
        guard let store = registry.queue(queue) else { return Reply.fail("no such queue") }
        switch command {
        case "ping": return Reply.single("pong")
        case "uptime": return Reply.single(.int(max(0, Int(now() - startTime))))
        case "config": return Reply.ok(store.config.json)
        case "status": return status(store)
        case "shutdown": return Reply.ok()
        default: break
        }
        if store.adminStatus == .down { return Reply.fail("status: DOWN") }
        let object = CommandArgument.object(argument)
        switch command {
        case "create_message": return create(store, object) { try $0.createMessage($1) }
        case "prep_message": return create(store, object, kick: false) { try $0.prepMessage($1) }
        case "single_que": return create(store, object) { try $0.singleQue($1) }
        case "attach_message": return attach(store, object)
        case "delete_attach_message": return deleteAttachment(store, object)
        case "commit_message":
            return withMsgID(object) { id in
                try store.commit(id)
                workers.kick(queue: store.name)
                return Reply.ok("msg commited")
            }
        case "get_message":
            return withMsgID(object) { id in Reply.ok(.object(try store.getMessage(id))) }
        case "get_message_state":
            return withMsgID(object) { id in Reply.ok(.string(try store.state(of: id).rawValue)) }
        case "get_message_status":
            return withMsgID(object) { id in Reply.ok(.object(try store.statusObject(of: id))) }
        case "delete_message":
            return withMsgID(object) { id in
                try store.deleteMessage(id)
                return Reply.ok("msg deleted")
            }
        case "destroy_message":
            return withMsgID(object) { id in
                guard store.runEntry(id) != nil, workers.destroy(queue: store.name, msgID: id) else {
                    return Reply.fail("msg not found")
                }
                return Reply.ok("msg destroyed")
            }
        case "run_message": return withMsgID(object) { id in runMessage(store, id) }
        case "clone_message":
            return withMsgID(object) { id in
                let newID = try store.cloneMessage(id)
                metrics?.messageCreated(queue: store.name)
                workers.kick(queue: store.name)
                return Reply.ok(.string(newID))
            }
        case "num_messages": return Reply.raw(.object(store.numMessages()))
        case "messages": return messages(store, object)
        case "ack_errs": return Reply.ok(.int(store.ackErrs()))
        default: return Self.unknownCommand
        }
    }

    /// Re-reads the markers; a runnable queue is kicked, so removing a marker by hand and
    /// asking for the status is enough to resume it.
    func status(_ store: QueueStore) -> String {
        let status = store.status
        if status.isRunnable { workers.kick(queue: store.name) }
        return Reply.single(.string(status.rawValue))
    }

    /// create_message, prep_message, single_que: a non-object argument has no `dest` either.
    func create(_ store: QueueStore, _ object: JSONObject?, kick: Bool = true,
                _ operation: (QueueStore, JSONObject) throws -> String) -> String {
        guard let object else { return Reply.fail(Message.missingDest) }
        do {
            let fullID = try operation(store, object)
            metrics?.messageCreated(queue: store.name)
            if kick { workers.kick(queue: store.name) }
            return Reply.ok(.string(fullID))
        } catch {
            return Reply.fail(error)
        }
    }

    /// Runs `body` with the argument's short `msg_id`; a thrown `StoreFailure` becomes the
    /// `["fail", reason]` reply. (Untyped throws: closures do not infer typed throws.)
    func withMsgID(_ object: JSONObject?, _ body: (String) throws -> String) -> String {
        guard let id = CommandArgument.msgID(object) else { return Self.lackingMsgID }
        do { return try body(id) } catch { return Reply.fail(error) }
    }

    func runMessage(_ store: QueueStore, _ id: String) -> String {
        switch store.setDueNow(id) {
        case .moved:
            workers.kick(queue: store.name)
            return Reply.ok("msg sent to front of run queue")
        case .alreadyRunning: return Reply.fail("msg already running")
        case .notRunnable: return Reply.fail("msg not in runnable state")
        case .notFound: return Reply.fail("msg not found")
        }
    }

    func messages(_ store: QueueStore, _ object: JSONObject?) -> String {
        let state: String
        switch object?["state"] {
        case .string(let s)?: state = s
        case nil, .null?: state = ""
        case let other?: state = other.compactString
        }
        let limit = CommandArgument.integer(object?["limit"]) ?? 20
        let filter = object?["filter"]?.stringValue
        do {
            return Reply.raw(try store.messages(state: state, limit: limit, filter: filter))
        } catch {
            return Reply.fail(error)
        }
    }
}
