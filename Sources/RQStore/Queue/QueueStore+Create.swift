/// create_message, prep_message, single_que, commit_message.
extension QueueStore {
    /// Stores a new message in `prep/` and returns its full id.
    @discardableResult
    public func prepMessage(_ input: JSONObject) throws(StoreFailure) -> String {
        let (message, msg) = try storeNewMessage(input, in: .prep)
        record(message.msgID, .created(msg: msg))
        index.prep.append(message.msgID)
        return fullID(message.msgID)
    }

    /// Stores a new message and queues it at once; returns its full id. Its directory goes
    /// from its temporary name in prep/ straight to que/ once the msg is in it: one rename,
    /// not two, on the path every REST and socket create takes.
    @discardableResult
    public func createMessage(_ input: JSONObject) throws(StoreFailure) -> String {
        let (message, msg) = try storeNewMessage(input, in: .que)
        record(message.msgID, .queued(msg: msg))
        index.enqueue(id: message.msgID, due: Double(message.due), params: message.params)
        return fullID(message.msgID)
    }

    /// The most recently queued message's full id if the que is not empty, else a new message.
    @discardableResult
    public func singleQue(_ input: JSONObject) throws(StoreFailure) -> String {
        if let last = index.newestArrival { return fullID(last.id) }
        return try createMessage(input)
    }

    /// prep → que. Fails `cannot find message` unless `id` is in prep with a readable msg.
    public func commit(_ id: String) throws(StoreFailure) {
        guard index.prep.contains(id), let dir = path(of: id, in: .prep),
              let message = readMessage(in: dir) else { throw StoreFailure("cannot find message") }
        // Its hidden temp link would travel into que/ and the attachment would never land.
        guard !attaching.contains(id) else { throw StoreFailure("attach in progress for msg") }
        try commit(id, message: message)
    }

    func commit(_ id: String, message: Message) throws(StoreFailure) {
        do { try move(id, from: .prep, to: .que) } catch { throw StoreFailure("unknown reason") }
        index.prep.remove(id)
        index.enqueue(id: id, due: Double(message.due), params: message.params)
    }

    /// Validates input, reserves an id, writes the msg into the reserved directory and renames
    /// it to `<state>/<id>` (prep or que), so the message appears there whole; nothing is left
    /// on disk when it fails. Returns the message and its msg bytes, for the caller to record.
    func storeNewMessage(_ input: JSONObject, in state: MessageState) throws(StoreFailure) -> (Message, [UInt8]) {
        if let problem = Message.checkInput(input) { throw StoreFailure(problem) }
        let reserved: (id: String, temporaryPath: String)
        do { reserved = try allocator.reserve() } catch { throw StoreFailure("could not create message: \(error.reason)") }
        let message: Message
        do {
            message = try Message.fromInput(input, msgID: reserved.id, fullID: fullID(reserved.id), now: now())
        } catch {
            try? FileOps.removeTree(reserved.temporaryPath)
            throw error
        }
        let msg = JSONValue.object(message.json).compactBytes
        do {
            try FileOps.writeFile(reserved.temporaryPath + "/msg", msg)
            try FileOps.rename(reserved.temporaryPath, stateDirectory(state) + "/" + reserved.id)
        } catch {
            try? FileOps.removeTree(reserved.temporaryPath)
            throw StoreFailure("could not create message: \(error.reason)")
        }
        return (message, msg)
    }

    /// Writes an allocated message's msg file and adds it to the prep index.
    func storeInPrep(_ message: Message) throws(StoreFailure) {
        let dir = stateDirectory(.prep) + "/" + message.msgID
        do {
            try writeFirstMessage(message, in: dir)
        } catch {
            try? FileOps.removeTree(dir)
            throw StoreFailure("could not create message: \(error.reason)")
        }
        index.prep.append(message.msgID)
    }
}
