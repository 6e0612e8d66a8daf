/// The global start-up recovery phase, before any queue loads: first the durability layer
/// brings the directories up to date with everything acknowledged (a journal replays), then
/// every queue's directories are repaired, and the repairs are made durable.
public struct StoreRecovery {
    public let root: String
    public let durability: Durability

    public init(root: String, durability: Durability) {
        self.root = root
        self.durability = durability
    }

    public struct Result: Sendable {
        public var durability = DurabilityRecovery()
        /// Per queue directory name (valid names only).
        public var queues: [String: RecoveryReport] = [:]
        /// Set when the repairs could not be made durable.
        public var syncProblem: String?
    }

    public func run() -> Result {
        var result = Result()
        result.durability = durability.recover()
        for name in FileOps.listIfPresent(root + "/queue").sorted() where QueueName.isValid(name) {
            guard FileOps.isDirectory(root + "/" + MessagePaths.queueDirectory(name)) else { continue }
            result.queues[name] = QueueRepair(root: root, queue: name, durability: durability).run()
        }
        do { try durability.flush() } catch { result.syncProblem = error.description }
        return result
    }
}
