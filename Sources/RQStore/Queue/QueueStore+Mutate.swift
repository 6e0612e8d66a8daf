import Foundation

/// delete_message, clone_message, run_message, ack_errs.
extension QueueStore {
    /// Deletes a message in prep/que/done/relayed/err; a running one is refused.
    public func deleteMessage(_ id: String) throws(StoreFailure) {
        guard let location = locate(id) else { throw StoreFailure("msg not found") }
        switch location.state {
        case .run:
            throw StoreFailure("msg is running")
        case .prep:
            index.prep.remove(id)
        case .que:
            index.removeFromQue(id)
            held.remove(id)
        case .done, .relayed, .err:
            break
        }
        do { try FileOps.removeTree(location.path) } catch { throw StoreFailure("msg couldn't be deleted") }
        adjustHashDirCount(path: location.path, by: -1)
        record(id, .deleted)
    }

    /// Queues a copy of a done/err/relayed message: same fields, `count` 0, `cloned_from` the
    /// old short id, attachments hard-linked. Returns the new full id.
    @discardableResult
    public func cloneMessage(_ id: String) throws(StoreFailure) -> String {
        guard let location = locate(id) else { throw StoreFailure("msg not found") }
        switch location.state {
        case .done, .err, .relayed: break
        case .prep, .que, .run: throw StoreFailure("cannot clone message in \(location.state.rawValue) state")
        }
        guard let source = readMessage(in: location.path) else { throw StoreFailure("msg couldn't be cloned") }
        let newID: String
        do { newID = try allocator.allocate() } catch { throw StoreFailure("msg couldn't be cloned") }
        let newDir = stateDirectory(.prep) + "/" + newID
        var copy = Message(msgID: newID, dest: source.dest, origMsgID: source.origMsgID, count: 0,
                           maxCount: source.maxCount, src: source.src, params: source.params,
                           postRunWebhook: source.postRunWebhook, due: source.due, forceRemote: source.forceRemote)
        copy.clonedFrom = id
        do {
            try linkAttachments(from: location.path, to: newID)
        } catch {
            try? FileOps.removeTree(newDir)
            throw StoreFailure("msg couldn't be cloned")
        }
        do { try storeInPrep(copy) } catch { throw StoreFailure("msg couldn't be cloned") }
        do { try commit(newID, message: copy) } catch { throw StoreFailure("msg couldn't be cloned") }
        return fullID(newID)
    }

    /// Hard-links every attachment of the message dir `source` into the attach dir of the
    /// newly allocated prep message `id`.
    func linkAttachments(from source: String, to id: String) throws(FileError) {
        let files = attachments(inMessageDirectory: source)
        guard !files.isEmpty else { return }
        let attachDir = stateDirectory(.prep) + "/" + id + "/attach"
        try FileOps.makeDirectories(attachDir)
        for (name, path) in files {
            try FileOps.link(path, attachDir + "/" + name)
            // Same inode, same digest: the clone's sidecar is the source's (if it has one).
            _ = try? FileOps.link(DigestSidecar.path(for: path), DigestSidecar.path(for: attachDir + "/" + name))
            record(id, .attached(state: .prep, name: name))
        }
    }

    /// The outcome of `run_message`.
    public enum RunNowResult: Equatable, Sendable {
        case moved
        case alreadyRunning
        case notRunnable
        case notFound
    }

    /// Makes a queued message due now and first in line: due = min(now, smallest due − 1),
    /// in memory only.
    public func setDueNow(_ id: String) -> RunNowResult {
        guard let location = locate(id) else { return .notFound }
        switch location.state {
        case .run: return .alreadyRunning
        case .prep, .done, .relayed, .err: return .notRunnable
        case .que:
            indexIfScanning(id)
            guard index.contains(id) else { return .notFound }
            let smallest = index.earliestDue ?? now()
            index.setDue(id, to: min(now(), smallest - 1))
            return .moved
        }
    }

    /// Renames every `err/<id>` to `err/.<id>`; returns how many.
    public func ackErrs() -> Int {
        var count = 0
        let dir = stateDirectory(.err)
        for id in errEntries(acknowledged: false) {
            do {
                try FileOps.rename(dir + "/" + id, dir + "/." + id)
                count += 1
                record(id, .acknowledged)
            } catch {
                continue
            }
        }
        return count
    }
}
