import RQStore

/// Reply payloads of the rq1 sockets (compact JSON).
enum Reply {
    static func ok(_ value: JSONValue) -> String { JSONValue.array(["ok", value]).compactString }
    static func ok() -> String { #"["ok"]"# }
    static func fail(_ reason: String) -> String { JSONValue.array(["fail", .string(reason)]).compactString }
    static func single(_ value: JSONValue) -> String { JSONValue.array([value]).compactString }
    static func raw(_ value: JSONValue) -> String { value.compactString }

    // Success texts the web routes answer too (spec rest.md: "the queue's JSON reply").
    static let committed = ok("msg commited")
    static let deleted = ok("msg deleted")
    static let destroyed = ok("msg destroyed")
    static let sentToFront = ok("msg sent to front of run queue")
    static let attachmentDeleted = ok("Attachment deleted successfully")
    static let createdValue: JSONValue = ["success", "queue created - awesome"]
    static let created = raw(createdValue)
    static let deletingQueueValue: JSONValue = ["ok", "started deleting queue"]
    static let deletingQueue = raw(deletingQueueValue)
    static func attached(_ md5: String) -> String { ok(.string(md5 + "-Attached successfully")) }

    /// An operation's result: `success` encodes the value, a failure is `["fail", reason]`.
    static func of<Value>(_ result: Result<Value, QueueError>, _ success: (Value) -> String) -> String {
        switch result {
        case .success(let value): return success(value)
        case .failure(let error): return error.rq1Reply
        }
    }
}
