/// The rq1 framed request/reply protocol on a Unix socket (manager and queue sockets).
/// Clients may send one request per connection (the original client) or several in turn.
///
/// A client that leaves its connection silent for `idleTimeout` (between frames or inside one)
/// is disconnected. At `maxSessions` open connections a new client sheds the one that has been
/// idle or stuck inside a frame the longest (`ServerListener`); only when every session awaits
/// a reply does accepting pause until one ends. Forgotten clients cannot use up the server's
/// file descriptors. The time a request waits for its reply does not count as idle.
public final class Rq1Server {
    public static let defaultMaxSessions = 256
    public static let defaultIdleTimeout = 300.0

    private var listener: ServerListener?
    private var sessions: [ObjectIdentifier: Rq1Session] = [:]

    public init(loop: EventLoop, path: String, maxPayload: Int = 64 << 20,
                maxSessions: Int = Rq1Server.defaultMaxSessions, idleTimeout: Double = Rq1Server.defaultIdleTimeout,
                handler: @escaping (Rq1Request) -> Void) throws {
        weak var weakSelf: Rq1Server?
        listener = try ServerListener(loop: loop, maxConnections: maxSessions) { onAccept in
            try Listener.unix(loop: loop, path: path, onAccept: onAccept)
        } onAccept: { slot in
            guard let self = weakSelf else { return slot.connection.close() }
            slot.connection.setTimeouts(read: idleTimeout, write: idleTimeout)
            let session = Rq1Session(slot: slot, maxPayload: maxPayload, handler: handler) { [weak self] ended in
                self?.sessions.removeValue(forKey: ObjectIdentifier(ended))
            }
            self.sessions[ObjectIdentifier(session)] = session
        }
        weakSelf = self
    }

    public var openSessions: Int { sessions.count }

    deinit { close() }

    /// Stops listening, removes the socket file and closes every client connection;
    /// replies still pending are dropped.
    public func close() {
        listener?.close()
        listener = nil
        let open = sessions.values
        sessions = [:]
        for session in open { session.close() }
    }
}
