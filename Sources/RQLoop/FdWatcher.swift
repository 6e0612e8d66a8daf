internal import CEvent

/// A persistent read (or write) event on a file descriptor it does not own (closing the
/// watcher leaves the fd open). Level-triggered: the callback repeats while data is unread
/// (while the fd stays writable).
public final class FdWatcher {
    private let loop: EventLoop
    private let onReady: () -> Void
    private var event: OpaquePointer?

    public init(loop: EventLoop, fd: Int32, writable: Bool = false, onReadable: @escaping () -> Void) throws {
        self.loop = loop
        onReady = onReadable
        let fire: event_callback_fn = { _, _, arg in
            guard let arg else { return }
            Unmanaged<FdWatcher>.fromOpaque(arg).takeUnretainedValue().onReady()
        }
        let flags = Int16((writable ? EV_WRITE : EV_READ) | EV_PERSIST)
        guard let event = event_new(loop.base, fd, flags, fire, Unmanaged.passUnretained(self).toOpaque()) else {
            throw LoopError("event_new(fd \(fd))", code: 0)
        }
        self.event = event
        guard event_add(event, nil) == 0 else {
            close()
            throw LoopError("event_add(fd \(fd))", code: 0)
        }
    }

    deinit { close() }

    public func close() {
        guard let event else { return }
        event_free(event)
        self.event = nil
    }
}
