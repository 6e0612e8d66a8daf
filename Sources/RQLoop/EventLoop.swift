internal import CEvent
import Glibc

/// The single-threaded libevent loop everything in the server runs on.
///
/// One `run()` iteration is one `event_base_loop(EVLOOP_ONCE)` call followed by the
/// iteration-end hooks, so a hook sees the combined effect of every callback of that
/// iteration (group commit fsyncs once per iteration and then releases the replies).
public final class EventLoop {
    let base: OpaquePointer
    private var stopped = false
    private var iterationEndHooks: [() -> Void] = []
    private let deferred: DeferredWork
    private let thisTurn: DeferredWork
    /// The non-blocking resolver for outbound connections (evdns: /etc/resolv.conf and
    /// /etc/hosts), made on first use; it keeps no event registered while idle.
    private var resolver: OpaquePointer?

    public init() throws {
        guard let base = event_base_new() else { throw LoopError("event_base_new", code: errno) }
        self.base = base
        // A peer that disconnects mid-write must give EPIPE, not kill the server.
        signal(SIGPIPE, SIG_IGN)
        let deferred: DeferredWork
        do {
            deferred = try DeferredWork(base: base, when: .nextIteration)
        } catch {
            event_base_free(base)
            throw error
        }
        do {
            thisTurn = try DeferredWork(base: base, when: .thisTurn)
        } catch {
            deferred.close()
            event_base_free(base)
            throw error
        }
        self.deferred = deferred
    }

    deinit {
        if let resolver { evdns_base_free(resolver, 0) }
        deferred.close()
        thisTurn.close()
        event_base_free(base)
    }

    public func run() {
        var idleIterations = 0
        while !stopped {
            let result = runOnce()
            // 1 means no event is registered at all; a hook may still have added one, so
            // only give up when that happens twice in a row, instead of spinning forever.
            switch result {
            case 0: idleIterations = 0
            case 1: idleIterations += 1
            default: idleIterations = 2
            }
            if idleIterations >= 2 { break }
        }
        stopped = false
    }

    /// One iteration: waits for events, runs their callbacks, then the iteration-end hooks.
    /// Returns libevent's result (1: no event registered at all).
    @discardableResult
    public func runOnce() -> Int32 {
        let result = event_base_loop(base, EVLOOP_ONCE)
        for hook in iterationEndHooks { hook() }
        return result
    }

    /// Ends `run()` once the current iteration (and its hooks) is done.
    public func stop() {
        stopped = true
    }

    public func addIterationEndHook(_ hook: @escaping () -> Void) {
        iterationEndHooks.append(hook)
    }

    /// Queues `work` to run in the next loop iteration, in FIFO order, never from inside
    /// this call. Work queued by work runs one iteration later, so a chain of slices
    /// cannot starve sockets or the iteration-end hooks.
    public func runSoon(_ work: @escaping () -> Void) {
        deferred.append(work)
    }

    /// Queues `work` to run after the current callback, in FIFO order, still in this loop
    /// iteration: before the iteration-end hooks, so before the group commit's sync (called
    /// from a hook, it runs in the next iteration). Work it queues runs in the same iteration
    /// too, so use it only for work that converges; chains of slices belong in `runSoon`.
    public func runLaterThisTurn(_ work: @escaping () -> Void) {
        thisTurn.append(work)
    }

    var dnsBase: OpaquePointer? {
        if resolver == nil {
            resolver = evdns_base_new(base, EVDNS_BASE_INITIALIZE_NAMESERVERS | EVDNS_BASE_DISABLE_WHEN_INACTIVE)
        }
        return resolver
    }

    /// Wall-clock seconds since the epoch.
    public var now: Double {
        var tv = timeval()
        gettimeofday(&tv, nil)
        return Double(tv.tv_sec) + Double(tv.tv_usec) / 1_000_000
    }
}
