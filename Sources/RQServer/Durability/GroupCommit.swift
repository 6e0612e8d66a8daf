import Logging
import RQLoop
import RQStore

/// Group commit (DESIGN.md "Durability"): replies that acknowledge stored data wait until the
/// end of the loop iteration, where one `Durability.flush()` covers every mutation recorded in
/// it; then they all go out. If the flush fails, nobody hears `ok`.
///
/// Writes nobody waits for (a script's run ending, a message moving to done) are synced too,
/// but lazily: within `lazyDelay`, or with the next acknowledged write, whichever comes
/// first. Syncing them at once would block the loop for a few fsyncs after every job.
final class GroupCommit {
    static let lazyDelay = 0.05

    private let durability: Durability
    private let logger: Logger
    private var waiting: [(Bool) -> Void] = []
    private var lazyTimer: LoopTimer?
    /// Receives each flush's duration (durable-sync latency on /metrics).
    var metrics: ServerMetrics?

    init(loop: EventLoop, durability: Durability, logger: Logger) {
        self.durability = durability
        self.logger = logger
        lazyTimer = LoopTimer(loop: loop) { [unowned self] in self.flush() }
        loop.addIterationEndHook { [unowned self] in
            if !self.waiting.isEmpty {
                self.flush()
            } else if !self.durability.isEmpty, self.lazyTimer?.isScheduled == false {
                self.lazyTimer?.schedule(after: Self.lazyDelay)
            }
        }
    }

    /// `send(true)` once everything written so far is durable; `send(false)` if syncing failed.
    func afterDurable(_ send: @escaping (Bool) -> Void) {
        waiting.append(send)
    }

    func flush() {
        lazyTimer?.cancel()
        guard !waiting.isEmpty || !durability.isEmpty else { return }
        let durable: Bool
        let started = ContinuousClock.now
        do {
            try durability.flush()
            durable = true
            metrics?.durableSync(started.duration(to: .now))
        } catch {
            logger.error("fsync failed, acknowledgements withheld: \(error)")
            durable = false
        }
        let senders = waiting
        waiting.removeAll(keepingCapacity: true)
        for send in senders { send(durable) }
    }
}
