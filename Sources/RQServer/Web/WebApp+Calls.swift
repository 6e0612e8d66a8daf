import RQStore

/// A message as `get_message` returns it, with the fields pages need.
struct MessageView {
    let queue: String
    let id: String
    let json: JSONValue

    var state: String { json["state"]?.stringValue ?? "" }
    var status: String { json["status"]?.stringValue ?? "" }
    /// Directory of the message, relative to the root.
    var path: String { json["path"]?.stringValue ?? "" }
}

/// The web calls the typed queue operations, as the rq1 sockets do, so both interfaces give
/// identical answers; results are encoded here, at the HTTP edge.
extension WebApp {
    /// A manager operation's reply (`["success", …]`, `["fail", reason]`), as the JSON answer
    /// and the original's flash texts quote it. Queues may have come or gone: their sockets
    /// follow.
    func managerReply<Value>(_ result: Result<Value, QueueError>, _ success: (Value) -> JSONValue) -> JSONValue {
        onQueuesChanged?()
        switch result {
        case .success(let value): return success(value)
        case .failure(let error): return error.replyValue
        }
    }

    /// Read from the store rather than through `get_message`, which a DOWN queue refuses:
    /// operators still look at a DOWN queue's messages.
    func loadMessage(_ queue: String, _ id: String) -> MessageView? {
        guard let store = registry.queue(queue), let message = try? store.getMessage(id) else { return nil }
        return MessageView(queue: queue, id: id, json: .object(message))
    }

    func queueStatus(_ queue: String) -> String {
        (try? operations.status(queue).get().rawValue) ?? "UNKNOWN"
    }

    /// Zero counts for a queue that does not answer (DOWN).
    func counts(_ queue: String) -> MessageCounts {
        (try? operations.counts(queue).get()) ?? MessageCounts()
    }

    /// A failure in the caller's format with its HTTP status and text.
    func failure(_ r: WebRequest, _ error: QueueError) -> WebResponse {
        failure(r, error.httpStatus, error.httpText)
    }

    /// A failure that stops the route (missing queue, DOWN, not durable); nil for failures
    /// the route answers itself.
    func stopping(_ r: WebRequest, _ error: QueueError) -> WebResponse? {
        error.httpStatus == 200 ? nil : failure(r, error)
    }

    /// The queue's own reply as the JSON body (`["ok", …]` or `["fail", reason]`), for the
    /// routes whose answer the spec defines as the queue's reply.
    func queueReply<Value>(_ result: Result<Value, QueueError>, _ success: (Value) -> String) -> WebResponse {
        .json(Reply.of(result, success))
    }
}
