internal import CEvent

/// A FIFO of work run by the loop outside the calling callback, in one of two ways:
///
/// - `.nextIteration` (`EventLoop.runSoon`): armed as a zero timeout rather than with
///   `event_active`: measured on libevent 2.1.12, an event activated from inside a callback
///   runs again in the same `EVLOOP_ONCE` pass, so a work item that queues more work would keep
///   the loop from ever returning to its iteration-end hooks or polling sockets. A timeout is
///   only collected at the start of the next iteration, which gives "next iteration"
///   semantics from any call site.
/// - `.thisTurn` (`EventLoop.runLaterThisTurn`): armed with `event_active`, which runs in the
///   same pass, after the current callback and before `run()` calls the iteration-end hooks
///   (the group commit). Work queued by this work also runs in the same pass, so only work
///   that converges may use it (a scheduler pass that starts what can start).
final class DeferredWork {
    enum When {
        case nextIteration
        case thisTurn
    }

    private let when: When
    private var event: OpaquePointer?
    private var pending: [() -> Void] = []
    private var armed = false

    init(base: OpaquePointer, when: When) throws {
        self.when = when
        let callback: event_callback_fn = { _, _, arg in
            guard let arg else { return }
            Unmanaged<DeferredWork>.fromOpaque(arg).takeUnretainedValue().runBatch()
        }
        // Owner-held: the EventLoop keeps this object alive and frees the event first.
        let arg = Unmanaged.passUnretained(self).toOpaque()
        guard let event = event_new(base, -1, 0, callback, arg) else {
            throw LoopError("event_new(\(when))", code: 0)
        }
        self.event = event
    }

    deinit { close() }

    func append(_ work: @escaping () -> Void) {
        pending.append(work)
        arm()
    }

    func close() {
        guard let event else { return }
        event_free(event)
        self.event = nil
    }

    private func arm() {
        guard !armed, let event else { return }
        switch when {
        case .nextIteration:
            var zero = timeval(tv_sec: 0, tv_usec: 0)
            if event_add(event, &zero) == 0 { armed = true }
        case .thisTurn:
            event_active(event, 0, 0)
            armed = true
        }
    }

    private func runBatch() {
        armed = false
        let batch = pending
        pending = []
        for work in batch { work() }
    }
}
