import Foundation
import OrderedCollections

/// A queue directory that could not be opened at load or rescan.
public struct QueueLoadProblem: Equatable, Sendable {
    public let name: String
    public let reason: String
}

/// Every queue of one installation, in a stable order (load order sorted by name, then
/// creation order). Owns the `QueueStore`s; loop-owned.
public final class QueueRegistry {
    public let root: String
    public private(set) var rootConfig: RootConfig
    public let durability: Durability
    /// Start-up repairs of queues not opened yet (`recover()`); a queue directory that
    /// appears later is repaired when it opens.
    var recoveredQueues: [String: RecoveryReport] = [:]
    /// One for all queues: dups and clones hard-link attachments across queues.
    let digests = DigestCache()
    let now: () -> Double
    var stores = OrderedDictionary<String, QueueStore>()
    /// Queues opened from now on scan `que/` in slices (`QueueStore.stepIndex`) instead of
    /// at once: the server sets it, so a million queued messages do not delay its start.
    public var indexInSlices = false

    public init(root: String, rootConfig: RootConfig, durability: Durability,
                now: @escaping () -> Double = { Date().timeIntervalSince1970 }) {
        self.root = root
        self.rootConfig = rootConfig
        self.durability = durability
        self.now = now
    }

    public var queueDirectory: String { root + "/queue" }
    public var names: [String] { Array(stores.keys) }
    public var queues: [QueueStore] { Array(stores.values) }
    public func queue(_ name: String) -> QueueStore? { stores[name] }
    public func contains(_ name: String) -> Bool { stores[name] != nil }

    public func configPath(_ name: String) -> String { queueDirectory + "/" + name + "/config.json" }

    /// The global start-up recovery phase (`StoreRecovery`): call once, before `loadAll()`.
    public func recover() -> StoreRecovery.Result {
        let result = StoreRecovery(root: root, durability: durability).run()
        recoveredQueues = result.queues
        return result
    }

    /// Opens every `queue/<valid name>/` with a readable, valid config.json that is not open
    /// yet (deleted queues, `<name>.deleted.<inode>`, are invalid names and never load).
    /// Returns the directories that were skipped and why.
    @discardableResult
    public func loadAll() -> [QueueLoadProblem] {
        var problems: [QueueLoadProblem] = []
        for name in FileOps.listIfPresent(queueDirectory).sorted() where QueueName.isValid(name) && stores[name] == nil {
            guard FileOps.isDirectory(queueDirectory + "/" + name) else { continue }
            do {
                let config = try readConfig(name)
                stores[name] = try openStore(name, config)
            } catch {
                problems.append(QueueLoadProblem(name: name, reason: error.reason))
            }
        }
        return problems
    }

    /// Reads and validates `queue/<name>/config.json`.
    public func readConfig(_ name: String) throws(StoreFailure) -> QueueConfig {
        let path = configPath(name)
        let value: JSONValue
        do {
            value = try JSONValue.parse(try FileOps.readFile(path))
        } catch let error as FileError {
            throw StoreFailure("could not read queue config [ \(path) ]: \(error.reason)")
        } catch {
            throw StoreFailure("could not read queue config [ \(path) ]: \(error)")
        }
        do { return try QueueConfig.parse(value) } catch { throw StoreFailure(error.message) }
    }

    func openStore(_ name: String, _ config: QueueConfig) throws(StoreFailure) -> QueueStore {
        let repairs = recoveredQueues.removeValue(forKey: name)
            ?? QueueRepair(root: root, queue: name, durability: durability).run()
        do {
            return try QueueStore(root: root, name: name, config: config, rootConfig: rootConfig, durability: durability,
                                  recovery: repairs, digests: digests, indexInSlices: indexInSlices, now: now)
        } catch {
            throw StoreFailure("queue not created")
        }
    }

    /// Creates `queue/<name>/` with its state dirs and a canonical config.json, and opens it.
    /// The caller has checked that the name is valid and free.
    @discardableResult
    public func create(_ config: QueueConfig) throws(StoreFailure) -> QueueStore {
        let name = config.name
        guard QueueName.isValid(name) else { throw StoreFailure("queue name has invalid characters") }
        guard stores[name] == nil else { throw StoreFailure("already created") }
        let dir = queueDirectory + "/" + name
        do {
            try FileOps.makeDirectories(dir)
            try FileOps.writeAtomically(directory: dir, name: "config.json", tmpName: "config.json.tmp",
                                        config.json.compactBytes)
        } catch {
            throw StoreFailure("queue not created")
        }
        let store = try openStore(name, config)
        stores[name] = store
        return store
    }

    /// A queue config is a few hundred bytes; anything near this is not one.
    static let maxLinkedConfigSize = 1 << 20

    /// `create_queue_link` (queue-config §2.3.2): config.json becomes a symlink to the file at
    /// `path` (relative to the root, or absolute), whose raw content stays what is served.
    @discardableResult
    public func createLink(configPath path: String) throws(StoreFailure) -> QueueStore {
        let absolute = path.hasPrefix("/") ? path : root + "/" + path
        let value: JSONValue
        do {
            value = try JSONValue.parse(try FileOps.readRegularFile(absolute, maxSize: Self.maxLinkedConfigSize))
        } catch let error as FileError {
            throw StoreFailure("could not read queue config [ \(path) ]: \(error.reason)")
        } catch {
            throw StoreFailure("could not read queue config [ \(path) ]: \(error)")
        }
        let config: QueueConfig
        do { config = try QueueConfig.parse(value, requireNumWorkers: true) } catch { throw StoreFailure(error.message) }
        guard stores[config.name] == nil else { throw StoreFailure("queue is already running") }
        guard QueueName.isValid(config.name) else { throw StoreFailure("queue name has invalid characters") }
        let dir = queueDirectory + "/" + config.name
        let target = (absolute as NSString).resolvingSymlinksInPath
        do {
            try FileOps.makeDirectories(dir)
            try FileOps.unlinkIfPresent(dir + "/config.json")
            guard symlink(target, dir + "/config.json") == 0 else { throw FileError("symlink", dir + "/config.json") }
        } catch {
            throw StoreFailure("queue not created")
        }
        let store = try openStore(config.name, config)
        stores[config.name] = store
        return store
    }

    /// Renames `queue/<name>` to `queue/<name>.deleted.<inode>` and forgets it. Stop its
    /// workers first: their message directories move with it.
    public func delete(_ name: String) throws(StoreFailure) {
        guard stores[name] != nil else { throw StoreFailure("no such queue") }
        let dir = queueDirectory + "/" + name
        do {
            let inode = UInt64(try FileOps.status(dir).st_ino)
            try FileOps.rename(dir, dir + ".deleted." + String(inode))
        } catch {
            throw StoreFailure("could not delete queue: \(error.reason)")
        }
        stores.removeValue(forKey: name)
    }

    /// Re-reads one queue's config.json (SIGHUP, restart_queue); running work is unaffected.
    public func reload(_ name: String) throws(StoreFailure) {
        guard let store = stores[name] else { throw StoreFailure("no such queue") }
        store.update(config: try readConfig(name))
    }

    /// Writes `config` as the queue's canonical config.json and applies it (scandir reload).
    public func replaceConfig(_ config: QueueConfig) throws(StoreFailure) {
        guard let store = stores[config.name] else { throw StoreFailure("no such queue") }
        do {
            try FileOps.writeAtomically(directory: queueDirectory + "/" + config.name, name: "config.json",
                                        tmpName: "config.json.tmp", config.json.compactBytes)
        } catch {
            throw StoreFailure("could not write queue config: \(error.reason)")
        }
        store.update(config: config)
    }

    /// What `rescan()` changed.
    public struct RescanResult: Equatable, Sendable {
        public var reloaded: [String] = []
        /// Queues whose config.json disappeared: no longer registered.
        public var removed: [String] = []
        public var added: [String] = []
        public var problems: [QueueLoadProblem] = []
    }

    /// Manager SIGHUP: reload every known queue, drop those whose config.json is gone, open
    /// new queue dirs. A known queue with an unreadable/invalid config keeps its old config.
    public func rescan() -> RescanResult {
        var result = RescanResult()
        for name in names {
            if !FileOps.exists(configPath(name)) {
                stores.removeValue(forKey: name)
                result.removed.append(name)
                continue
            }
            do {
                try reload(name)
                result.reloaded.append(name)
            } catch {
                result.problems.append(QueueLoadProblem(name: name, reason: error.reason))
            }
        }
        let before = Set(stores.keys)
        result.problems += loadAll()
        result.added = names.filter { !before.contains($0) }
        return result
    }

    /// Applies a changed root config (host, port, relative_root) to every queue's full ids.
    public func update(rootConfig: RootConfig) {
        self.rootConfig = rootConfig
        for store in stores.values { store.rootConfig = rootConfig }
    }
}
