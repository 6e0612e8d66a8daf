/// What start-up recovery found and did in one queue.
public struct RecoveryReport: Equatable, Sendable {
    /// Ids found in `run/` and moved back to `que/` (they will run again).
    public var requeued: [String] = []
    /// pids from `pid` files of those messages: the server should kill any live process
    /// group among them before running the messages again.
    public var pids: [Int32] = []
    /// Queued messages whose msg could not be read (or moved): left on disk, not scheduled.
    public var skipped: [(id: String, reason: String)] = []
    /// Half-allocated `prep/_…` dirs and leftover temp files that were removed.
    public var removed: [String] = []

    public init() {}

    public static func == (a: RecoveryReport, b: RecoveryReport) -> Bool {
        a.requeued == b.requeued && a.pids == b.pids && a.removed == b.removed
            && a.skipped.map(\.id) == b.skipped.map(\.id) && a.skipped.map(\.reason) == b.skipped.map(\.reason)
    }
}
