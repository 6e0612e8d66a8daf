import RQStore

/// Operations on one message (uds-protocol §4.4.2). Ids are short ids; writes that make a
/// message runnable kick the scheduler.
extension QueueOperations {
    /// Stores a message from its fields (`dest` required); returns its full id.
    public func create(_ queue: String, _ input: JSONObject, mode: CreateMode) -> Result<String, QueueError> {
        with(queue) { store in
            let fullID: String
            switch mode {
            case .prep: fullID = try store.prepMessage(input)
            case .commit, .singleQue:
                fullID = try mode == .commit ? store.createMessage(input) : store.singleQue(input)
                workers.kick(queue: store.name)
            }
            metrics?.messageCreated(queue: store.name)
            return fullID
        }
    }

    /// prep → que.
    public func commit(_ queue: String, _ id: String) -> Result<Void, QueueError> {
        with(queue) { store in
            try store.commit(id)
            workers.kick(queue: store.name)
        }
    }

    /// The message as `get_message` gives it: fields plus status, state, path, _attachments.
    public func message(_ queue: String, _ id: String) -> Result<JSONObject, QueueError> {
        with(queue) { try $0.getMessage(id) }
    }

    public func state(_ queue: String, _ id: String) -> Result<MessageState, QueueError> {
        with(queue) { try $0.state(of: id) }
    }

    /// `{"status": "<state> - <job status>", "state": …, "path": …}`.
    public func messageStatus(_ queue: String, _ id: String) -> Result<JSONObject, QueueError> {
        with(queue) { try $0.statusObject(of: id) }
    }

    public func delete(_ queue: String, _ id: String) -> Result<Void, QueueError> {
        with(queue) { try $0.deleteMessage(id) }
    }

    /// SIGTERM to the worker running the message.
    public func destroy(_ queue: String, _ id: String) -> Result<Void, QueueError> {
        with(queue) { store in
            guard store.runEntry(id) != nil, workers.destroy(queue: store.name, msgID: id) else { throw QueueError.msgNotFound }
        }
    }

    /// A queued message becomes due now, ahead of the others.
    public func runNow(_ queue: String, _ id: String) -> Result<Void, QueueError> {
        with(queue) { store in
            switch store.setDueNow(id) {
            case .moved: workers.kick(queue: store.name)
            case .alreadyRunning: throw QueueError.alreadyRunning
            case .notRunnable: throw QueueError.notRunnable
            case .notFound: throw QueueError.msgNotFound
            }
        }
    }

    /// A copy of a done/err/relayed message, queued; returns the new full id.
    public func clone(_ queue: String, _ id: String) -> Result<String, QueueError> {
        with(queue) { store in
            let newID = try store.cloneMessage(id)
            metrics?.messageCreated(queue: store.name)
            workers.kick(queue: store.name)
            return newID
        }
    }
}
