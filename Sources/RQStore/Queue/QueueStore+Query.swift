import Foundation

/// get_message, get_message_state, get_message_status, num_messages, messages.
extension QueueStore {
    /// The msg fields plus `status`, `state`, `path` and (when any) `_attachments`.
    public func getMessage(_ id: String) throws(StoreFailure) -> JSONObject {
        guard let location = locate(id), FileOps.isDirectory(location.path) else { throw StoreFailure("msg not found") }
        guard let message = readMessage(in: location.path) else { throw StoreFailure("msg couldn't be read") }
        var object = message.json
        object["status"] = .string(statusText(location))
        object["state"] = .string(location.state.rawValue)
        object["path"] = .string(location.relativePath)
        if let attachments = attachmentsObject(inMessageDirectory: location.path) {
            object["_attachments"] = .object(attachments)
        }
        return object
    }

    public func state(of id: String) throws(StoreFailure) -> MessageState {
        guard let location = locate(id) else { throw StoreFailure("msg not found") }
        return location.state
    }

    /// `{"path", "status", "state"}`.
    public func statusObject(of id: String) throws(StoreFailure) -> JSONObject {
        guard let location = locate(id) else { throw StoreFailure("msg not found") }
        guard FileOps.isDirectory(location.path) else { throw StoreFailure("msg couldn't be read") }
        return ["path": .string(location.relativePath), "status": .string(statusText(location)),
                "state": .string(location.state.rawValue)]
    }

    /// The status text alone (`done - done sleeping`).
    public func statusText(of id: String) throws(StoreFailure) -> String {
        guard let location = locate(id) else { throw StoreFailure("msg not found") }
        return statusText(location)
    }

    /// prep/que/run from memory; done/relayed by hash-dir walk; err = non-dot entries.
    public func numMessages() -> JSONObject {
        [
            "prep": .int(index.prep.count),
            "que": .int(queCount),
            "run": .int(index.run.count),
            "done": .int(hashDirCount(.done)),
            "relayed": .int(hashDirCount(.relayed)),
            "err": .int(errEntries(acknowledged: false).count),
        ]
    }

    /// Counts per state, as numbers (for callers that are not building a reply).
    public var counts: (prep: Int, que: Int, run: Int) { (index.prep.count, queCount, index.run.count) }

    /// The queued message that arrived first (web pages show its age).
    public var oldestQueuedID: String? { index.oldestArrival?.id }

    /// The `messages` listing of one state (uds-protocol §4.4.3).
    public func messages(state: String, limit: Int = 20, filter: String? = nil) throws(StoreFailure) -> JSONValue {
        let limit = max(0, limit)
        switch state {
        case "prep":
            return .array(index.prep.reversed().prefix(limit).map { .string($0) })
        case "que":
            return .array(index.newestArrivals(limit: limit).map { [.string($0.id), .number($0.due)] })
        case "run":
            return .array(index.run.values.map { [.string($0.id), $0.jobStatus.map { .string($0) } ?? .null] })
        case "done":
            var ids = HashDir(path: stateDirectory(.done)).entries(limit: limit)
            if let filter, !filter.trimmingCharacters(in: .whitespaces).isEmpty {
                ids = ids.filter { id in
                    guard let dir = path(of: id, in: .done), let bytes = try? FileOps.readFile(dir + "/msg") else { return false }
                    return String(decoding: bytes, as: UTF8.self).contains(filter)
                }
            }
            return .array(ids.map { .string($0) })
        case "relayed":
            return .array(HashDir(path: stateDirectory(.relayed)).entries(limit: limit).map { .string($0) })
        case "err":
            return .array(errEntries(acknowledged: false).map { .string($0) })
        case "errack":
            return .array(errEntries(acknowledged: true).map { .string($0) })
        default:
            throw StoreFailure("invalid or missing 'state' field (\(state))")
        }
    }

    /// Entries of `err/`: unacknowledged (non-dot) or acknowledged (`.2…`), sorted.
    func errEntries(acknowledged: Bool) -> [String] {
        FileOps.listIfPresent(stateDirectory(.err))
            .filter { acknowledged ? $0.hasPrefix(".2") : !$0.hasPrefix(".") }
            .sorted()
    }
}
