internal import CEvent

/// The FIFO behind `EventLoop.runLaterThisTurn`: work that must not run inside the calling
/// callback (it would re-enter it) but should not wait for the next iteration either.
///
/// Armed with `event_active`, which libevent 2.1 runs in the same `EVLOOP_ONCE` pass, after
/// the current callback and before `run()` calls the iteration-end hooks (the group commit).
/// Unlike `DeferredWork`, work queued by this work also runs in the same pass, so only work
/// that converges may use it (a scheduler pass that starts what can start).
final class TurnWork {
    private var event: OpaquePointer?
    private var pending: [() -> Void] = []
    private var active = false

    init(base: OpaquePointer) throws {
        let callback: event_callback_fn = { _, _, arg in
            guard let arg else { return }
            Unmanaged<TurnWork>.fromOpaque(arg).takeUnretainedValue().runBatch()
        }
        // Owner-held: the EventLoop keeps this object alive and frees the event first.
        let arg = Unmanaged.passUnretained(self).toOpaque()
        guard let event = event_new(base, -1, 0, callback, arg) else {
            throw LoopError("event_new(runLaterThisTurn)", code: 0)
        }
        self.event = event
    }

    deinit { close() }

    func append(_ work: @escaping () -> Void) {
        pending.append(work)
        guard !active, let event else { return }
        active = true
        event_active(event, 0, 0)
    }

    func close() {
        guard let event else { return }
        event_free(event)
        self.event = nil
    }

    private func runBatch() {
        active = false
        let batch = pending
        pending = []
        for work in batch { work() }
    }
}
