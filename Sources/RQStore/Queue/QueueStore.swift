import Foundation

/// One queue directory and its in-memory index. Every state change is a rename between state
/// directories; the index mirrors prep/que/run so the scheduler never scans the disk.
/// Loop-owned: not thread-safe.
public final class QueueStore {
    public let root: String
    public let name: String
    /// `<root>/queue/<name>`
    public let directory: String
    /// `queue/<name>`
    public let relativeDirectory: String
    public internal(set) var config: QueueConfig
    public var rootConfig: RootConfig
    /// Set by the scheduler when it finds the script missing or not executable.
    public var operStatus: OperStatus = .up
    /// What start-up recovery did (`StoreRecovery`, `QueueRepair`) and which queued messages
    /// the index left out.
    public internal(set) var recovery = RecoveryReport()

    let durability: Durability
    let now: () -> Double
    let allocator: MessageIDAllocator
    let markers: AdminMarkers
    var index = QueueIndex()
    /// The scan of `que/` that fills the index after start-up; nil once complete.
    var queScan: QueScan?
    /// Queued messages the scheduler folded into a running one (coalescing): still in
    /// `que/` on disk, kept out of the index until released.
    var held: Set<String> = []
    let digests: DigestCache
    /// Prep messages with an attachment being hashed: another attach or a commit would race it.
    var attaching: Set<String> = []
    /// Messages in the done and relayed hash dirs: counted once (in slices by `warmCounts`,
    /// or at once on first use), then kept up to date by this store's own moves and deletes,
    /// so status pages never walk millions of entries. (Entries an operator adds or removes by
    /// hand are seen after a restart or `restart_queue`.)
    var hashDirCounters: [MessageState: HashDirCounter] = [:]

    /// Opens the queue at `<root>/queue/<name>`, creating missing state directories, and loads
    /// its index: at once, or (`indexInSlices`) only prep at once and que as `stepIndex` is
    /// called. Start-up recovery (`StoreRecovery`) has run before.
    public init(root: String, name: String, config: QueueConfig, rootConfig: RootConfig, durability: Durability,
                recovery: RecoveryReport = RecoveryReport(), digests: DigestCache = DigestCache(),
                indexInSlices: Bool = false,
                now: @escaping () -> Double = { Date().timeIntervalSince1970 }) throws(FileError) {
        self.root = root
        self.name = name
        self.directory = root + "/queue/" + name
        self.relativeDirectory = "queue/" + name
        self.config = config
        self.rootConfig = rootConfig
        self.durability = durability
        self.recovery = recovery
        self.digests = digests
        self.now = now
        self.allocator = MessageIDAllocator(prepDirectory: directory + "/prep", now: now)
        self.markers = AdminMarkers(root: root)
        for state in MessageState.allCases { try FileOps.makeDirectories(directory + "/" + state.rawValue) }
        startIndex()
        if !indexInSlices { stepIndex(shouldStop: { false }) }
    }

    /// Replaces the config (SIGHUP reload). A queue that starts using blocking or coalescing
    /// params needs them for every queued message: its que index is scanned again (true).
    @discardableResult
    public func update(config: QueueConfig) -> Bool {
        let rescan = Self.keepsParams(config) != Self.keepsParams(self.config)
        self.config = config
        guard rescan else { return false }
        let running = index.run
        startIndex()
        index.run = running
        return true
    }

    // MARK: Status

    /// Combined status; re-reads the marker files on every call.
    public var status: QueueStatus { QueueStatus(admin: adminStatus, oper: operStatus) }
    public var adminStatus: AdminStatus { markers.status(queue: name) }

    // MARK: Ids and paths

    public func fullID(_ id: String) -> String { rootConfig.fullID(queue: name, id: id) }

    public func stateDirectory(_ state: MessageState) -> String { directory + "/" + state.rawValue }

    /// Directory of `id` if it were in `state` (nil only for hash states and malformed ids).
    public func relativePath(of id: String, in state: MessageState) -> String? {
        MessagePaths.messageDirectory(name, id, state)
    }

    public func path(of id: String, in state: MessageState) -> String? {
        relativePath(of: id, in: state).map { root + "/" + $0 }
    }

    func location(_ id: String, _ state: MessageState) -> MessageLocation? {
        guard let rel = relativePath(of: id, in: state) else { return nil }
        return MessageLocation(state: state, relativePath: rel, path: root + "/" + rel)
    }

    /// The original's lookup order: in-memory prep, `que/<id>` on disk, in-memory run, done,
    /// relayed, err. Malformed ids are never found (they could name paths outside the queue).
    public func locate(_ id: String) -> MessageLocation? {
        guard MessageID.isValid(id, allowAcked: true) else { return nil }
        if index.prep.contains(id) { return location(id, .prep) }
        if let que = location(id, .que), FileOps.isDirectory(que.path) { return que }
        if index.run[id] != nil { return location(id, .run) }
        for state in [MessageState.done, .relayed, .err] {
            if let found = location(id, state), FileOps.isDirectory(found.path) { return found }
        }
        return nil
    }

    // MARK: Message files

    /// Reads and parses `<dir>/msg`.
    func readMessage(in directory: String, relativeTo base: Int32 = AT_FDCWD) -> Message? {
        guard let bytes = try? FileOps.readFile(directory + "/msg", relativeTo: base),
              let object = (try? JSONValue.parse(bytes))?.objectValue else { return nil }
        return Message.fromStored(object)
    }

    /// The message `id` wherever it is.
    public func message(_ id: String) throws(StoreFailure) -> Message {
        guard let location = locate(id) else { throw StoreFailure("msg not found") }
        guard let message = readMessage(in: location.path) else { throw StoreFailure("msg couldn't be read") }
        return message
    }

    /// Writes the msg of `message` in `state` via `tmp` + rename and records it.
    func writeMessage(_ message: Message, in state: MessageState) throws(FileError) {
        guard let directory = path(of: message.msgID, in: state) else { throw FileError("write", message.msgID, reason: "malformed id") }
        let bytes = JSONValue.object(message.json).compactBytes
        try FileOps.writeAtomically(directory: directory, name: "msg", tmpName: "tmp", bytes)
        record(message.msgID, .rewritten(state: state, msg: bytes))
    }

    /// The first `msg` of a message whose directory was just allocated in `prep/` (a clone).
    /// No tmp + rename: nothing reads the directory before this returns (one thread), and a
    /// crash mid-write leaves an unreadable prep entry that was never acknowledged, which
    /// recovery tolerates.
    func writeFirstMessage(_ message: Message, in directory: String) throws(FileError) {
        let bytes = JSONValue.object(message.json).compactBytes
        try FileOps.writeFile(directory + "/msg", bytes)
        record(message.msgID, .created(msg: bytes))
    }

    /// Writes `status` = `{"job_status": text}` via `status.tmp` + rename in the directory of
    /// `id` in `state`, and records it.
    func writeStatusFile(_ text: String?, of id: String, in state: MessageState) throws(FileError) {
        guard let directory = path(of: id, in: state) else { throw FileError("write", id, reason: "malformed id") }
        try FileOps.writeAtomically(directory: directory, name: "status", tmpName: "status.tmp",
                                    Array(Self.statusFileBytes(text)))
        record(id, .status(state: state, text: text))
    }

    static func statusFileBytes(_ text: String?) -> [UInt8] {
        let value: JSONValue = ["job_status": text.map { .string($0) } ?? .null]
        return value.compactBytes
    }

    /// `job_status` of `<dir>/status`: nil when there is no (readable) status file, `.null`
    /// for a JSON null.
    func readJobStatus(in directory: String) -> JSONValue? {
        guard let bytes = try? FileOps.readFile(directory + "/status"),
              let object = (try? JSONValue.parse(bytes))?.objectValue else { return nil }
        return object["job_status"] ?? .null
    }

    /// `<state>` or `<state> - <job_status>` (a null job_status yields `"<state> - "`).
    func statusText(_ location: MessageLocation) -> String {
        switch readJobStatus(in: location.path) {
        case nil: return location.state.rawValue
        case .null?: return location.state.rawValue + " - "
        case .string(let s)?: return location.state.rawValue + " - " + s
        case let other?: return location.state.rawValue + " - " + other.compactString
        }
    }

    // MARK: Durability

    /// The store's one emit point: every change made on disk for message `id`, unless the
    /// queue opted out with `fsync: "no-fsync"`.
    func record(_ id: String, _ change: StoreMutation.Change) {
        if config.fsync { durability.record(StoreMutation(queue: name, id: id, change)) }
    }

    /// Renames message `id` between states, creating hash-dir parents, and records the move
    /// (`record: false` for moves nobody needs to survive a crash).
    func move(_ id: String, from: MessageState, to: MessageState, record shouldRecord: Bool = true) throws(FileError) {
        guard let source = path(of: id, in: from), let target = path(of: id, in: to) else {
            throw FileError("rename", id, reason: "malformed id")
        }
        // The flat state directories always exist; only hash-dir parents may need creating.
        if to.isHashed { try FileOps.makeDirectories(FileOps.parentDirectory(target)) }
        try FileOps.rename(source, target)
        adjustHashDirCount(path: source, by: -1)
        adjustHashDirCount(path: target, by: 1)
        if shouldRecord { record(id, from == .prep && to == .que ? .committed : .moved(from: from, to: to)) }
    }

    /// Done/relayed count; finishes the count at once if `warmCounts` has not yet.
    func hashDirCount(_ state: MessageState) -> Int {
        let counter = hashDirCounter(state)
        counter.step(budget: .max)
        return counter.total
    }

    private func hashDirCounter(_ state: MessageState) -> HashDirCounter {
        if let counter = hashDirCounters[state] { return counter }
        let counter = HashDirCounter(hashDir: HashDir(path: stateDirectory(state)))
        hashDirCounters[state] = counter
        return counter
    }

    /// Counts up to `budget` more minute directories of done and relayed; true when both
    /// counts are complete. The server calls it in loop turns after start-up.
    public func warmCounts(budget: Int) -> Bool {
        hashDirCounter(.done).step(budget: budget) && hashDirCounter(.relayed).step(budget: budget)
    }

    /// Keeps the counts right when a message enters or leaves a hash dir.
    func adjustHashDirCount(path: String, by delta: Int) {
        for state in [MessageState.done, .relayed] {
            let prefix = stateDirectory(state) + "/"
            guard path.hasPrefix(prefix), let counter = hashDirCounters[state] else { continue }
            let parts = path.dropFirst(prefix.count).split(separator: "/").map(String.init)
            guard parts.count >= 3 else { continue }
            counter.adjust(day: parts[0], hour: parts[1], minute: parts[2], by: delta)
        }
    }

    /// Forgets the counts (restart_queue): the next query or warm-up counts again.
    public func recount() { hashDirCounters.removeAll() }
}
