import Glibc

extension QueueStore {
    /// Loads prep ids at once and starts the scan of `que/` (start-up recovery has repaired
    /// the directories). The que part fills in as `stepIndex` is called; until it is complete
    /// the scheduler starts nothing in this queue, everything else works.
    func startIndex() {
        index = QueueIndex(keepsParams: Self.keepsParams(config))
        for entry in FileOps.listIfPresent(stateDirectory(.prep)).sorted() where MessageID.isValid(entry) {
            index.prep.append(entry)
        }
        queScan = QueScan(queDirectory: stateDirectory(.que))
    }

    static func keepsParams(_ config: QueueConfig) -> Bool {
        !config.coalesceParams.isEmpty || !config.blockingParams.isEmpty
    }

    /// Is every message in `que/` in the index (so the scheduler may run)?
    public var isIndexComplete: Bool { queScan == nil }

    /// Scans more of `que/` until `shouldStop` is true; true when the index is complete.
    /// Unreadable messages stay on disk, unscheduled, and are reported in `recovery.skipped`.
    @discardableResult
    public func stepIndex(shouldStop: () -> Bool) -> Bool {
        guard var scan = queScan else { return true }
        queScan = nil  // exclusive access while stepping
        repeat {
            let batch = scan.nextBatch(shouldStop: shouldStop)
            for (id, sequence) in batch where !index.contains(id) && !held.contains(id) {
                indexScanned(id, sequence: sequence, que: scan.queDescriptor)
            }
        } while !scan.isFinished && !shouldStop()
        if !scan.isFinished { queScan = scan }
        return scan.isFinished
    }

    /// Reads and indexes one message found by the scan, after removing the leftovers of an
    /// interrupted write (start-up repair's part for `que/`): a directory gone since the
    /// listing (deleted, moved) is skipped quietly.
    /// `que` is `que/` open as a directory, or `AT_FDCWD` (then absolute paths are used).
    private func indexScanned(_ id: String, sequence: UInt64?, que: Int32) {
        guard let relative = relativePath(of: id, in: .que) else { return }
        let dir = que == AT_FDCWD ? root + "/" + relative : id
        QueueRepair.removeLeftovers(in: dir, relativeTo: que, reportedAs: relative, report: &recovery)
        guard let message = readMessage(in: dir, relativeTo: que) else {
            if FileOps.exists(dir, relativeTo: que) { recovery.skipped.append((id, "unreadable msg")) }
            return
        }
        if let sequence {
            index.enqueueScanned(id: id, due: Double(message.due), params: message.params, sequence: sequence)
        } else {
            index.enqueue(id: id, due: Double(message.due), params: message.params)
        }
    }

    /// Indexes a queued message an operation names before the scan has reached it.
    func indexIfScanning(_ id: String) {
        guard queScan != nil, !index.contains(id), !held.contains(id) else { return }
        indexScanned(id, sequence: nil, que: AT_FDCWD)
    }

    /// Messages the scan has found and not read yet (0 once the index is complete).
    public var unindexed: Int { queScan?.unread ?? 0 }

    /// Queued messages, counting those the scan has found but not read yet.
    var queCount: Int { index.queCount + (queScan?.unread ?? 0) }
}
