import Logging
import RQLoop
import RQStore

/// Group commit (DESIGN.md "Durability"): replies that acknowledge stored data wait until the
/// end of the loop iteration, where one `DurableBatch.flush()` covers every message touched in
/// it; then they all go out. If the flush fails, nobody hears `ok`.
final class GroupCommit {
    private let batch: DurableBatch
    private let logger: Logger
    private var waiting: [(Bool) -> Void] = []

    init(loop: EventLoop, batch: DurableBatch, logger: Logger) {
        self.batch = batch
        self.logger = logger
        loop.addIterationEndHook { [unowned self] in self.flush() }
    }

    /// `send(true)` once everything written so far is durable; `send(false)` if syncing failed.
    func afterDurable(_ send: @escaping (Bool) -> Void) {
        waiting.append(send)
    }

    func flush() {
        guard !waiting.isEmpty else { return }
        let durable: Bool
        do {
            try batch.flush()
            durable = true
        } catch {
            logger.error("fsync failed, acknowledgements withheld: \(error)")
            durable = false
        }
        let senders = waiting
        waiting.removeAll(keepingCapacity: true)
        for send in senders { send(durable) }
    }
}
