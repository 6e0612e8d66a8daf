internal import CEvent

/// A one-shot timer on the loop; `schedule` again to re-arm it.
public final class LoopTimer {
    private let loop: EventLoop  // keeps the event_base alive while the event exists
    private let callback: () -> Void
    private var event: OpaquePointer?

    public init(loop: EventLoop, _ callback: @escaping () -> Void) {
        self.loop = loop
        self.callback = callback
        let fire: event_callback_fn = { _, _, arg in
            guard let arg else { return }
            Unmanaged<LoopTimer>.fromOpaque(arg).takeUnretainedValue().callback()
        }
        // Owner-held: passUnretained, and the event is freed before this object goes away.
        // event_new only fails on allocation failure, which leaves a timer that never fires.
        event = event_new(loop.base, -1, 0, fire, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit { close() }

    /// Runs `body` now and then every `interval` seconds (measured from the end of the previous
    /// run, so a slow run never piles up) until the returned timer is closed.
    public static func polling(loop: EventLoop, every interval: Double, _ body: @escaping () -> Void) -> LoopTimer {
        weak var rearm: LoopTimer?
        let timer = LoopTimer(loop: loop) {
            body()
            rearm?.schedule(after: interval)
        }
        rearm = timer
        body()
        timer.schedule(after: interval)
        return timer
    }

    /// Replaces any earlier deadline. Negative delays fire in the next iteration.
    public func schedule(after seconds: Double) {
        guard let event else { return }
        var delay = LoopTime.timeval(seconds: seconds)
        event_add(event, &delay)
    }

    public func cancel() {
        guard let event else { return }
        event_del(event)
    }

    public var isScheduled: Bool {
        guard let event else { return false }
        return event_pending(event, Int16(EV_TIMEOUT), nil) != 0
    }

    public func close() {
        guard let event else { return }
        event_free(event)
        self.event = nil
    }
}
