internal import CEvent

/// A persistent libevent signal event: the callback runs on the loop, after the signal,
/// once per delivery batch (signals coalesce).
public final class SignalWatcher {
    private let loop: EventLoop
    private let callback: () -> Void
    private var event: OpaquePointer?

    public init(loop: EventLoop, signal: Int32, _ callback: @escaping () -> Void) throws {
        self.loop = loop
        self.callback = callback
        let fire: event_callback_fn = { _, _, arg in
            guard let arg else { return }
            Unmanaged<SignalWatcher>.fromOpaque(arg).takeUnretainedValue().callback()
        }
        // evsignal_new is a macro; this is its expansion.
        let flags = Int16(EV_SIGNAL | EV_PERSIST)
        guard let event = event_new(loop.base, signal, flags, fire, Unmanaged.passUnretained(self).toOpaque()) else {
            throw LoopError("evsignal_new(\(signal))", code: 0)
        }
        self.event = event
        guard event_add(event, nil) == 0 else {
            close()
            throw LoopError("evsignal_add(\(signal))", code: 0)
        }
    }

    deinit { close() }

    public func close() {
        guard let event else { return }
        event_free(event)
        self.event = nil
    }
}

extension SignalWatcher {
    /// Clears the process signal mask. A parent (a test runner, a supervisor) may start the
    /// server with signals blocked; a blocked SIGCHLD would leave every finished script unreaped.
    public static func unblockAllSignals() {
        var none = sigset_t()
        sigemptyset(&none)
        sigprocmask(SIG_SETMASK, &none, nil)
    }
}
