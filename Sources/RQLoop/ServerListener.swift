/// A listener that holds at most `maxConnections` accepted connections, shared by the web
/// server and the rq1 sockets.
///
/// Each connection's owner says through its `ConnectionSlot` when the connection could be
/// dropped without losing work: idle between requests, or still sending a request it has not
/// finished (slow or stalled). At the cap a new client sheds the connection that has been in
/// such a state the longest, so clients that hold connections open without finishing requests
/// (slowloris) cannot lock everyone else out. Only when every connection is busy (a request
/// being handled or answered) does accepting pause, until one closes or becomes sheddable.
public final class ServerListener {
    public let maxConnections: Int
    private var listener: Listener?
    private let loop: EventLoop
    private var slots: [ObjectIdentifier: ConnectionSlot] = [:]
    private var sheddable = 0
    private var paused = false
    /// Connections shed so far (for tests and logs).
    public private(set) var shedCount = 0

    /// - Parameters:
    ///   - listen: makes the underlying `Listener` around the accept callback it is given.
    ///   - onAccept: takes each new connection's slot; the owner must `release()` it when the
    ///     connection ends.
    public init(loop: EventLoop, maxConnections: Int,
                listen: (@escaping (Connection) -> Void) throws -> Listener,
                onAccept: @escaping (ConnectionSlot) -> Void) throws {
        self.loop = loop
        self.maxConnections = max(1, maxConnections)
        weak var weakSelf: ServerListener?
        listener = try listen { connection in
            guard let self = weakSelf else { return connection.close() }
            self.admit(connection, onAccept: onAccept)
        }
        weakSelf = self
    }

    deinit { listener?.close() }

    public var port: Int { listener?.port ?? 0 }
    public var openConnections: Int { slots.count }

    /// Stops accepting; the open connections are the owner's to close.
    public func close() {
        listener?.close()
        listener = nil
    }

    private func admit(_ connection: Connection, onAccept: (ConnectionSlot) -> Void) {
        if slots.count >= maxConnections, let victim = oldestSheddable() {
            shedCount += 1
            // Ends it through its owner's onClose, which releases the slot.
            victim.connection.fail("shed at the connection cap")
            victim.release()
        }
        let slot = ConnectionSlot(connection: connection, owner: self, now: loop.now)
        slots[ObjectIdentifier(slot)] = slot
        sheddable += 1
        updateAccepting()
        onAccept(slot)
    }

    private func oldestSheddable() -> ConnectionSlot? {
        slots.values.filter { $0.sheddableSince != nil }.min { $0.sheddableSince! < $1.sheddableSince! }
    }

    fileprivate func slotChanged(_ slot: ConnectionSlot, sheddable isSheddable: Bool) {
        sheddable += isSheddable ? 1 : -1
        updateAccepting()
    }

    fileprivate func slotReleased(_ slot: ConnectionSlot, wasSheddable: Bool) {
        guard slots.removeValue(forKey: ObjectIdentifier(slot)) != nil else { return }
        if wasSheddable { sheddable -= 1 }
        updateAccepting()
    }

    private func updateAccepting() {
        let full = slots.count >= maxConnections && sheddable == 0
        guard full != paused else { return }
        paused = full
        if full { listener?.pause() } else { listener?.resume() }
    }

    fileprivate var now: Double { loop.now }
}

/// One accepted connection of a `ServerListener`, as its owner reports it.
public final class ConnectionSlot {
    public let connection: Connection
    private weak var owner: ServerListener?
    /// Since when the connection has been sheddable; nil while it is busy.
    private(set) var sheddableSince: Double?
    private var released = false

    fileprivate init(connection: Connection, owner: ServerListener, now: Double) {
        self.connection = connection
        self.owner = owner
        sheddableSince = now  // nothing received yet
    }

    /// Idle or receiving a request: may be shed at the cap. Repeating the same value keeps the
    /// original time, so a slow client does not become "new" by sending another byte.
    public func setSheddable(_ isSheddable: Bool) {
        guard !released, isSheddable != (sheddableSince != nil) else { return }
        sheddableSince = isSheddable ? (owner?.now ?? 0) : nil
        owner?.slotChanged(self, sheddable: isSheddable)
    }

    /// The connection has ended; idempotent.
    public func release() {
        guard !released else { return }
        released = true
        owner?.slotReleased(self, wasSheddable: sheddableSince != nil)
        sheddableSince = nil
    }
}
