import RQStore

/// What one scandir pass changes. Pure: tested without a loop or a disk.
enum ScandirChange: Equatable {
    /// A new entry and no such queue: create it.
    case create(QueueConfig)
    /// A new entry for a queue that already exists (made by install, the web, or scandir
    /// before a restart): manage it from now on and apply its config.
    case adopt(QueueConfig)
    /// A managed entry whose link, script or config.json changed.
    case reload(QueueConfig)
    /// A managed entry that no longer qualifies (link removed, run not executable, bad JSON).
    case release(String)
}

enum ScandirPlan {
    /// `managed`: name → fingerprint of what was last applied. Names scandir does not manage
    /// are never released, which is what keeps queues made over the web alive (the original
    /// deleted every queue without a link on its first pass).
    static func changes(managed: [String: [UInt8]], scanned: [String: ScandirDirectory.Entry],
                        registered: Set<String>) -> [ScandirChange] {
        var changes: [ScandirChange] = []
        for name in scanned.keys.sorted() {
            guard case .declared(let declared)? = scanned[name] else { continue }
            switch managed[name] {
            case nil:
                changes.append(registered.contains(name) ? .adopt(declared.config) : .create(declared.config))
            case let fingerprint? where fingerprint != declared.fingerprint:
                changes.append(.reload(declared.config))
            case _?:
                break
            }
        }
        for name in managed.keys.sorted() {
            guard case .declared? = scanned[name] else {
                changes.append(.release(name))
                continue
            }
        }
        return changes
    }
}
