import RQLoop
import RQStore

/// Moving a finished run's message to its final state (worker-protocol.md §6.5).
extension WorkerSupervisor {
    /// When the move fails (disk full, a state directory made unusable) it is retried every
    /// `settleRetry` seconds: the message stays in run/ meanwhile, and the queue carries on by
    /// itself once the disk is fixed instead of holding a worker slot until a restart.
    func settle(_ run: Run, _ outcome: CompletionOutcome, message: Message) {
        defer { kick(queue: run.queue) }
        guard let store = registry.queue(run.queue) else { return }
        do {
            try apply(outcome, of: run, message: message, in: store)
            metrics?.messageFinished(queue: run.queue, state: outcome.finalStateName, runTime: run.launchedAt.duration(to: .now))
            queuePostRunWebhooks(outcome, message: message, in: store)
        } catch {
            logError("queue \(run.queue): cannot finish \(run.msgID): \(error); retrying in \(Self.settleRetry) s",
                     kind: run.queue + " finish")
            let key = Self.key(run.queue, run.msgID)
            let retry = LoopTimer(loop: loop) { [unowned self] in
                self.unsettled[key] = nil
                self.settle(run, outcome, message: message)
            }
            retry.schedule(after: Self.settleRetry)
            unsettled[key] = retry
        }
    }

    private func apply(_ outcome: CompletionOutcome, of run: Run, message: Message, in store: QueueStore) throws(StoreFailure) {
        let id = run.msgID
        let fullID = store.fullID(id)
        switch outcome {
        case .done, .relayed:
            let final: FinalState = outcome == .done ? .done : .relayed
            var message = message
            if !run.coalesced.isEmpty { message.dups = run.coalesced.map { store.fullID($0.id) } }
            // The stored msg is rewritten only when this run changed it.
            try store.finish(id, as: final, message: message == run.started ? nil : message)
            for entry in run.coalesced {
                do { try store.finishDuplicate(entry.id, as: final, absorber: fullID) } catch {
                    logger.error("queue \(run.queue): duplicate \(entry.id) of \(id): \(error)")
                }
            }
        case .err(let status):
            try store.finish(id, as: .err, jobStatus: status, message: message == run.started ? nil : message)
            run.coalesced.forEach(store.releaseHeld)
        case .requeue(let delay):
            try store.requeue(id, due: Int(loop.now) + delay, count: message.count, message: message)
            run.coalesced.forEach(store.releaseHeld)
        }
    }
}
