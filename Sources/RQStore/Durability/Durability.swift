/// How the store's mutations become durable. The store emits one `StoreMutation` per change,
/// after making it on disk and before anyone is told `ok`; the server flushes once per loop
/// iteration before sending the replies that wait for it (group commit).
///
/// A flush has two halves so that its blocking part can leave the loop: `beginFlush` (on the
/// loop) writes what was recorded and returns the syncs still owed; they run on any thread
/// while the loop goes on recording the next batch; `finishFlush` (on the loop) takes their
/// result. One flush at a time.
public protocol Durability: AnyObject {
    /// Start-up, before any queue loads: brings the directories up to date with everything
    /// acknowledged before the last stop or crash.
    func recover() -> DurabilityRecovery
    /// A change already made on disk that must survive a crash once its flush has finished.
    func record(_ mutation: StoreMutation)
    /// A file written outside the store's mutations (a relay's `relay_id`) whose content must
    /// be durable once the next flush has finished; fsynced by that flush, never journaled.
    func include(file path: String)
    /// A directory whose entries changed outside the store's mutations, like `include(file:)`.
    func include(directory path: String)
    /// Nothing recorded since the last flush began.
    var isEmpty: Bool { get }
    /// Writes everything recorded since the last flush and returns the syncs that make it
    /// durable.
    func beginFlush() -> DurableSync
    /// After `sync.run()`: a failed flush keeps what it could not make durable for the next.
    func finishFlush(_ sync: DurableSync)
}

extension Durability {
    /// The whole flush on the calling thread; throws when it could not make everything
    /// durable, and then nobody hears ok.
    public func flush() throws(FileError) {
        let sync = beginFlush()
        sync.run()
        finishFlush(sync)
        if let failure = sync.failure { throw failure }
    }
}

/// The blocking half of one flush: syncs of descriptors it owns, safe on any thread. `run`
/// happens before `finishFlush` reads `failure` (the helper thread's hand-back orders them).
public final class DurableSync: @unchecked Sendable {
    private let steps: [@Sendable () -> FileError?]
    /// The first failure: of the writes in `beginFlush`, else of a sync.
    public private(set) var failure: FileError?

    public init(failure: FileError? = nil, steps: [@Sendable () -> FileError?]) {
        self.failure = failure
        self.steps = steps
    }

    public func run() {
        for step in steps {
            if let failure = step(), self.failure == nil { self.failure = failure }
        }
    }
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
