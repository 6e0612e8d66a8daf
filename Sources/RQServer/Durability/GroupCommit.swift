import Logging
import RQLoop
import RQStore

/// Group commit (DESIGN.md "Durability"): replies that acknowledge stored data wait until the
/// end of the loop iteration, where one flush covers every mutation recorded in it; once its
/// syncs are done they all go out. If the flush fails, nobody hears `ok`.
///
/// The flush's blocking half (the journal's `fdatasync`, attachments' fsyncs) runs on a helper
/// thread, so the loop keeps reading and storing the next requests meanwhile; their replies
/// wait for the next flush, which starts as soon as the previous one is back. One flush is in
/// progress at a time: the records of the next are written after the previous is durable, in
/// order. A reply that finds nothing written and no flush running goes out at once (reads).
///
/// Writes nobody waits for (a script's run ending, a message moving to done) are synced too,
/// but lazily: within `lazyDelay`, or with the next acknowledged write, whichever comes
/// first. Syncing them at once would add a flush after every job.
final class GroupCommit {
    static let lazyDelay = 0.05

    private let durability: Durability
    private let logger: Logger
    private let syncThread: HelperThread
    /// Replies for the next flush.
    private var waiting: [(Bool) -> Void] = []
    private var lazyTimer: LoopTimer?
    /// Receives each flush's duration (durable-sync latency on /metrics).
    var metrics: ServerMetrics?

    init(loop: EventLoop, durability: Durability, logger: Logger) throws {
        self.durability = durability
        self.logger = logger
        syncThread = try HelperThread(loop: loop, name: "rq-sync")
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
        if !syncThread.isBusy, waiting.isEmpty, durability.isEmpty { return send(true) }
        waiting.append(send)
    }

    /// `done(true)` once `files` and `directories`, written on the loop outside the store's
    /// mutations, are durable (with everything written so far); `done(false)` if syncing failed.
    /// Their fsyncs ride the next flush on the sync thread instead of blocking the loop.
    func afterSyncing(files: [String], directories: [String] = [], _ done: @escaping (Bool) -> Void) {
        files.forEach(durability.include(file:))
        directories.forEach(durability.include(directory:))
        afterDurable(done)
    }

    /// Starts a flush of everything recorded so far unless one is in progress (whose end
    /// starts the next when replies wait).
    func flush() {
        guard !syncThread.isBusy, !waiting.isEmpty || !durability.isEmpty else { return }
        lazyTimer?.cancel()
        let sync = durability.beginFlush()
        let senders = waiting
        waiting.removeAll(keepingCapacity: true)
        let started = ContinuousClock.now
        syncThread.run({ sync.run(); return nil }) { [unowned self] _ in
            self.finish(sync, started: started, senders: senders)
        }
    }

    /// Clean stop: waits for the flush in progress, then flushes the rest on this thread.
    func flushAndWait() {
        syncThread.waitForJob()
        flush()
        syncThread.waitForJob()
    }

    private func finish(_ sync: DurableSync, started: ContinuousClock.Instant, senders: [(Bool) -> Void]) {
        durability.finishFlush(sync)
        let durable = sync.failure == nil
        if let failure = sync.failure {
            logger.error("fsync failed, acknowledgements withheld: \(failure)")
        } else {
            metrics?.durableSync(started.duration(to: .now))
        }
        for send in senders { send(durable) }
        // Replies that arrived meanwhile need not wait for the end of this iteration.
        if !waiting.isEmpty { flush() }
    }
}
