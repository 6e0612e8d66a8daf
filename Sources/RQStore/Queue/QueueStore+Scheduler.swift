import Foundation

/// The transitions the scheduler and workers drive: que → run → done | err | relayed | que.
extension QueueStore {
    /// Queued entries in scheduling order: earliest `due` first, ties first-in first-out.
    public var queEntries: some Sequence<QueEntry> { index.scheduled }

    /// The earliest due time in the que.
    public var nextDue: Double? { index.earliestDue }

    public func queEntry(_ id: String) -> QueEntry? { index.queEntry(id) }

    /// Running entries in start order.
    public var runEntries: [RunEntry] { Array(index.run.values) }

    public func runEntry(_ id: String) -> RunEntry? { index.run[id] }

    /// que → run. Returns the message as stored.
    @discardableResult
    public func moveToRun(_ id: String) throws(StoreFailure) -> Message {
        guard index.contains(id), let from = path(of: id, in: .que), let to = path(of: id, in: .run) else {
            throw StoreFailure("msg not found")
        }
        guard let message = readMessage(in: from) else { throw StoreFailure("msg couldn't be read") }
        do { try FileOps.rename(from, to) } catch { throw StoreFailure("could not start message: \(error.reason)") }
        index.removeFromQue(id)
        index.run[id] = RunEntry(id: id, params: message.params, jobStatus: nil)
        return message
    }

    /// Called when `moveToRun` failed. A queued message that can never start (its directory
    /// is gone, or its msg is unreadable, e.g. edited by hand) would be picked first on every
    /// pass and stall the queue: forget the first, move the second to err with a status that
    /// says why. True when it was set aside; false for a failure that may pass (a rename error).
    @discardableResult
    public func setAsideIfUnstartable(_ id: String) -> Bool {
        guard index.contains(id), let from = path(of: id, in: .que) else { return false }
        guard FileOps.isDirectory(from) else {
            index.removeFromQue(id)
            return true
        }
        guard readMessage(in: from) == nil else { return false }
        do {
            try writeStatusFile("msg couldn't be read - MOVED TO ERR", of: id, in: .que)
            try move(id, from: .que, to: .err)
        } catch {
            return false
        }
        index.removeFromQue(id)
        return true
    }

    /// Creates `run/<id>/job/` if needed and returns its absolute path (the worker's cwd).
    /// One `mkdir` on a first run; `mkdir -p` (which accepts an existing one) only when that
    /// fails, e.g. after a resend.
    public func prepareJobDirectory(_ id: String) throws(StoreFailure) -> String {
        guard index.run[id] != nil, let dir = path(of: id, in: .run) else { throw StoreFailure("msg not running") }
        let job = dir + "/job"
        do { try FileOps.makeDirectory(job) } catch {
            do { try FileOps.makeDirectories(job) } catch { throw StoreFailure(error.description) }
        }
        return job
    }

    /// Writes `run/<id>/pid` (via `pid.tmp`).
    public func writePID(_ id: String, pid: Int32) throws(StoreFailure) {
        guard index.run[id] != nil, let dir = path(of: id, in: .run) else { throw StoreFailure("msg not running") }
        do {
            try FileOps.writeAtomically(directory: dir, name: "pid", tmpName: "pid.tmp", Array(String(pid).utf8))
        } catch {
            throw StoreFailure(error.description)
        }
    }

    /// The pid in `run/<id>/pid`, if the message is running and has one.
    public func readPID(_ id: String) -> Int32? {
        guard index.run[id] != nil, let dir = path(of: id, in: .run),
              let bytes = try? FileOps.readFile(dir + "/pid") else { return nil }
        return Int32(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Records a status line of a running message (`status` file via `status.tmp` + rename).
    public func writeJobStatus(_ id: String, _ text: String) throws(StoreFailure) {
        guard index.run[id] != nil else { throw StoreFailure("msg not running") }
        // Durable with the server's next flush (lazily when no reply waits for it).
        do { try writeStatusFile(text, of: id, in: .run) } catch { throw StoreFailure(error.description) }
        index.run[id]?.jobStatus = text
    }

    /// run → done | err | relayed. Persists `message` when given (updated count, dups, …),
    /// overwrites the status file when `jobStatus` is given, removes `pid`, and moves the
    /// directory (into the hash dir for done/relayed). Returns the new location.
    @discardableResult
    public func finish(_ id: String, as final: FinalState, jobStatus: String? = nil,
                       message: Message? = nil) throws(StoreFailure) -> MessageLocation {
        guard index.run[id] != nil, let from = path(of: id, in: .run) else { throw StoreFailure("msg not running") }
        guard let target = location(id, final.state) else { throw StoreFailure("msg not found") }
        do {
            if let message { try writeMessage(message, in: .run) }
            // A status written earlier by the script was recorded then.
            if let jobStatus { try writeStatusFile(jobStatus, of: id, in: .run) }
            try FileOps.unlinkIfPresent(from + "/pid")
            try move(id, from: .run, to: final.state)
        } catch {
            throw StoreFailure("could not finish message: \(error.description)")
        }
        index.run.removeValue(forKey: id)
        return target
    }

    /// run → que for a `resend`: persists `due` and `count` (and any other changes in
    /// `message`), touches the `resend` marker, removes `pid`.
    public func requeue(_ id: String, due: Int, count: Int, message: Message? = nil) throws(StoreFailure) {
        guard let runEntry = index.run[id], let from = path(of: id, in: .run) else {
            throw StoreFailure("msg not running")
        }
        var updated: Message
        if let message {
            updated = message
        } else if let stored = readMessage(in: from) {
            updated = stored
        } else {
            throw StoreFailure("msg couldn't be read")
        }
        updated.due = due
        updated.count = count
        do {
            try writeMessage(updated, in: .run)
            try FileOps.writeFile(from + "/resend", [])
            try FileOps.unlinkIfPresent(from + "/pid")
            try move(id, from: .run, to: .que)
        } catch {
            throw StoreFailure("could not requeue message: \(error.description)")
        }
        index.run.removeValue(forKey: id)
        index.enqueue(id: id, due: Double(due), params: runEntry.params)
    }

    /// run → que for a message whose run never began (its job directory or process could not
    /// be made): one rename and nothing written, so it also works on a full disk.
    public func unstart(_ id: String, due: Int) throws(StoreFailure) {
        guard let runEntry = index.run[id], let from = path(of: id, in: .run), let to = path(of: id, in: .que) else {
            throw StoreFailure("msg not running")
        }
        do { try FileOps.rename(from, to) } catch { throw StoreFailure("could not requeue message: \(error.reason)") }
        index.run.removeValue(forKey: id)
        index.enqueue(id: id, due: Double(due), params: runEntry.params)
    }

    /// Takes a queued message out of the in-memory que without touching the disk (coalescing
    /// folds it into a running message; state lookups still say `que`).
    @discardableResult
    public func holdQueued(_ id: String) -> QueEntry? {
        guard let entry = index.removeFromQue(id) else { return nil }
        held.insert(id)
        return entry
    }

    /// Puts a held message back into the que (its absorber failed or was resent).
    public func releaseHeld(_ entry: QueEntry) {
        held.remove(entry.id)
        // It stayed deletable in que/ while held; a deleted one must not come back as a ghost.
        guard let dir = path(of: entry.id, in: .que), FileOps.isDirectory(dir) else { return }
        index.enqueue(id: entry.id, due: entry.due, params: entry.params)
    }

    /// que → done | relayed for a message coalesced into `absorber` (full id): writes `dup`
    /// into its msg, status `duplicate <absorber>`, and moves it to the hash dir.
    @discardableResult
    public func finishDuplicate(_ id: String, as final: FinalState, absorber: String) throws(StoreFailure) -> MessageLocation {
        guard let from = path(of: id, in: .que), FileOps.isDirectory(from) else { throw StoreFailure("msg not found") }
        guard let target = location(id, final.state) else { throw StoreFailure("msg not found") }
        guard var message = readMessage(in: from) else { throw StoreFailure("msg couldn't be read") }
        message.dup = absorber
        do {
            try writeMessage(message, in: .que)
            try writeStatusFile("duplicate " + absorber, of: id, in: .que)
            try move(id, from: .que, to: final.state)
        } catch {
            throw StoreFailure("could not finish message: \(error.description)")
        }
        index.removeFromQue(id)
        held.remove(id)
        return target
    }
}
