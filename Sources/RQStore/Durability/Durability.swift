/// How the store's mutations become durable. The store emits one `StoreMutation` per change,
/// after making it on disk and before anyone is told `ok`; the server calls `flush()` once per
/// loop iteration before sending the replies that wait for it (group commit).
public protocol Durability: AnyObject {
    /// Start-up, before any queue loads: brings the directories up to date with everything
    /// acknowledged before the last stop or crash.
    func recover() -> DurabilityRecovery
    /// A change already made on disk that must survive a crash once `flush()` returns.
    func record(_ mutation: StoreMutation)
    /// Nothing recorded since the last flush.
    var isEmpty: Bool { get }
    /// Makes everything recorded durable; throws when it could not, and then nobody hears ok.
    func flush() throws(FileError)
}

/// What `Durability.recover()` did, for the log.
public struct DurabilityRecovery: Equatable, Sendable {
    /// One line per repair made (a message moved, a file rewritten, …).
    public var repaired: [String] = []
    /// Problems that stopped or limited recovery; data is kept, never guessed at.
    public var problems: [String] = []

    public init(repaired: [String] = [], problems: [String] = []) {
        self.repaired = repaired
        self.problems = problems
    }
}
