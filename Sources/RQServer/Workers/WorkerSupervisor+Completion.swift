import RQLoop
import RQStore

/// Reaping scripts and moving their messages to the final state (worker-protocol.md §6.5).
extension WorkerSupervisor {
    func reapChildren() {
        for (pid, exit) in ChildReaper.reapAll() {
            guard let worker = workers[pid] else { continue }
            worker.exit = exit
            // A script may leave children holding fd 3 open: its run is over when it exits.
            if worker.pipeOpen { drain(worker) }
            if worker.pipeOpen {
                if let last = worker.parser.finish() { record(handle(last, of: worker), of: worker) }
                worker.closePipes()
            }
            finishIfComplete(worker)
        }
    }

    func finishIfComplete(_ worker: Worker) {
        guard worker.isComplete, let exit = worker.exit, workers[worker.pid] != nil else { return }
        workers.removeValue(forKey: worker.pid)
        worker.cancelTimers()
        var outcome = CompletionRule.outcome(recorded: worker.recorded, exit: exit, pid: worker.pid,
                                             count: worker.message.count, maxCount: worker.message.maxCount)
        if let reason = worker.killReason { outcome = .err(statusOverride: reason) }
        settle(worker, outcome)
    }

    /// Moves the finished run's message to its final state. When that fails (disk full, a
    /// state directory made unusable) it is retried every `settleRetry` seconds: the message
    /// stays in run/ meanwhile, and the queue carries on by itself once the disk is fixed
    /// instead of holding a worker slot until a restart.
    func settle(_ worker: Worker, _ outcome: CompletionOutcome) {
        defer { kick(queue: worker.queue) }
        guard let store = registry.queue(worker.queue) else { return }
        do {
            try apply(outcome, of: worker, in: store)
            metrics?.messageFinished(queue: worker.queue, state: outcome.finalStateName, runTime: worker.launchedAt.duration(to: .now))
        } catch {
            logger.error("queue \(worker.queue): cannot finish \(worker.msgID): \(error); retrying in \(Self.settleRetry) s")
            let key = worker.queue + "/" + worker.msgID
            let retry = LoopTimer(loop: loop) { [unowned self] in
                self.unsettled[key] = nil
                self.settle(worker, outcome)
            }
            retry.schedule(after: Self.settleRetry)
            unsettled[key] = retry
        }
    }

    private func apply(_ outcome: CompletionOutcome, of worker: Worker, in store: QueueStore) throws(StoreFailure) {
        let id = worker.msgID
        let fullID = store.fullID(id)
        switch outcome {
        case .done, .relayed:
            let final: FinalState = outcome == .done ? .done : .relayed
            var message = worker.message
            if !worker.coalesced.isEmpty { message.dups = worker.coalesced.map { store.fullID($0.id) } }
            // The stored msg is rewritten only when this run changed it.
            try store.finish(id, as: final, message: message == worker.started ? nil : message)
            for entry in worker.coalesced {
                do { try store.finishDuplicate(entry.id, as: final, absorber: fullID) } catch {
                    logger.error("queue \(worker.queue): duplicate \(entry.id) of \(id): \(error)")
                }
            }
        case .err(let status):
            try store.finish(id, as: .err, jobStatus: status, message: worker.message == worker.started ? nil : worker.message)
            worker.coalesced.forEach(store.releaseHeld)
        case .requeue(let delay):
            try store.requeue(id, due: Int(loop.now) + delay, count: worker.message.count, message: worker.message)
            worker.coalesced.forEach(store.releaseHeld)
        }
    }
}
