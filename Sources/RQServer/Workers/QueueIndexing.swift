import Logging
import RQLoop
import RQStore

/// Finishes the que indexes of queues opened in slices (`QueueStore.stepIndex`): a few
/// milliseconds of scanning per loop turn, so requests are answered from the first turn on
/// even with a million queued messages (issue 10). The scheduler resumes it when it meets a
/// queue whose index is incomplete and is told, per queue, when one is complete.
final class QueueIndexing {
    private let loop: EventLoop
    private let registry: QueueRegistry
    private let logger: Logger
    private let completed: (QueueStore) -> Void
    private var turnScheduled = false
    /// When each queue's scan began, and how many skipped entries start-up recovery had
    /// already reported (logged at start-up; only the scan's own are logged here).
    private var started: [String: (at: ContinuousClock.Instant, skippedBefore: Int)] = [:]

    init(loop: EventLoop, registry: QueueRegistry, logger: Logger, completed: @escaping (QueueStore) -> Void) {
        self.loop = loop
        self.registry = registry
        self.logger = logger
        self.completed = completed
    }

    func resume() {
        guard !turnScheduled else { return }
        turnScheduled = true
        loop.runSoon { [weak self] in self?.turn() }
    }

    private func turn() {
        turnScheduled = false
        let budget = TurnBudget()
        var unfinished = false
        // Smallest backlog first: a queue with a million messages does not hold up the rest.
        let incomplete = registry.queues.filter { !$0.isIndexComplete }.sorted { $0.unindexed < $1.unindexed }
        for store in incomplete {
            if started[store.name] == nil { started[store.name] = (.now, store.recovery.skipped.count) }
            guard !budget.isSpent, store.stepIndex(shouldStop: { budget.isSpent }) else {
                unfinished = true
                continue
            }
            finish(store)
        }
        if unfinished { resume() }
    }

    private func finish(_ store: QueueStore) {
        let start = started.removeValue(forKey: store.name) ?? (.now, store.recovery.skipped.count)
        let elapsed = ContinuousClock.now - start.at
        if elapsed > .milliseconds(500) {
            logger.info("queue \(store.name): \(store.counts.que) queued message(s) indexed in \(elapsed)")
        }
        for skipped in store.recovery.skipped.dropFirst(start.skippedBefore) {
            logger.error("queue \(store.name): \(skipped.id) skipped: \(skipped.reason)")
        }
        completed(store)
    }
}
