import Foundation
import RQStore

/// The typed queue operations (uds-protocol §4.4): what the rq1 queue sockets, the web routes,
/// relay and workers ask of a queue. No wire text here — each interface encodes the results
/// and maps `QueueError` at its own edge.
public final class QueueOperations {
    let registry: QueueRegistry
    let workers: WorkerControl
    let startTime: Double
    let now: () -> Double
    /// Runs work in a later loop turn (`EventLoop.runSoon`): long jobs go in slices.
    let later: (@escaping () -> Void) -> Void
    /// Counts created messages for /metrics.
    var metrics: ServerMetrics?

    public init(registry: QueueRegistry, workers: WorkerControl, startTime: Double,
                now: @escaping () -> Double = { Date().timeIntervalSince1970 },
                later: @escaping (@escaping () -> Void) -> Void = { $0() }) {
        self.registry = registry
        self.workers = workers
        self.startTime = startTime
        self.now = now
        self.later = later
    }

    /// The queue's store, if it exists and (unless `whenDown`) is not admin DOWN. Reads the
    /// admin markers once.
    func open(_ queue: String, whenDown: Bool = false) -> Result<QueueStore, QueueError> {
        guard let store = registry.queue(queue) else { return .failure(.noSuchQueue) }
        if !whenDown, store.adminStatus == .down { return .failure(.down) }
        return .success(store)
    }

    /// `open` and then `body`; a thrown `StoreFailure` becomes `.refused` with its reason.
    /// (Untyped throws: closures do not infer typed throws, and the store throws its own type.)
    func with<Value>(_ queue: String, whenDown: Bool = false,
                     _ body: (QueueStore) throws -> Value) -> Result<Value, QueueError> {
        open(queue, whenDown: whenDown).flatMap { store in
            do { return .success(try body(store)) } catch { return .failure(QueueError(error)) }
        }
    }

    /// Whether the queue would take an operation now (the rq1 layer's answer to commands it
    /// cannot parse: the queue's refusal wins, as in the original).
    public func availability(_ queue: String) -> Result<Void, QueueError> { open(queue).map { _ in } }

    // MARK: reads answered even when the queue is DOWN

    /// Succeeds when the queue exists (rq1 `ping`, `shutdown`).
    public func ping(_ queue: String) -> Result<Void, QueueError> {
        open(queue, whenDown: true).map { _ in }
    }

    /// Seconds since the server started.
    public func uptime(_ queue: String) -> Result<Int, QueueError> {
        open(queue, whenDown: true).map { _ in max(0, Int(now() - startTime)) }
    }

    public func config(_ queue: String) -> Result<QueueConfig, QueueError> {
        open(queue, whenDown: true).map(\.config)
    }

    /// Re-reads the markers; a runnable queue is kicked, so removing a marker by hand and
    /// asking for the status is enough to resume it.
    public func status(_ queue: String) -> Result<QueueStatus, QueueError> {
        open(queue, whenDown: true).map { store in
            let status = store.status
            if status.isRunnable { workers.kick(queue: store.name) }
            return status
        }
    }

    // MARK: queue-wide operations

    public func counts(_ queue: String) -> Result<MessageCounts, QueueError> {
        with(queue) { MessageCounts($0.numMessages()) }
    }

    /// Ids of one state, newest first (`que`: `[id, due]` pairs, `run`: `[id, status]`).
    public func messages(_ queue: String, state: String, limit: Int = 20, filter: String? = nil) -> Result<JSONValue, QueueError> {
        with(queue) { try $0.messages(state: state, limit: limit, filter: filter) }
    }

    /// Acknowledges every err message; returns how many.
    public func ackErrs(_ queue: String) -> Result<Int, QueueError> {
        with(queue) { $0.ackErrs() }
    }
}
