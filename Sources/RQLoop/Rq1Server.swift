/// The rq1 framed request/reply protocol on a Unix socket (manager and queue sockets).
/// Clients may send one request per connection (the original client) or several in turn.
///
/// A client that leaves its connection silent for `idleTimeout` (between frames or inside one)
/// is disconnected, and at `maxSessions` open connections accepting pauses until one ends:
/// forgotten clients cannot use up the server's file descriptors. The time a request waits
/// for its reply does not count as idle.
public final class Rq1Server {
    public static let defaultMaxSessions = 256
    public static let defaultIdleTimeout = 300.0

    private var listener: Listener?
    private var sessions: [ObjectIdentifier: Rq1Session] = [:]
    private let maxSessions: Int

    public init(loop: EventLoop, path: String, maxPayload: Int = 64 << 20,
                maxSessions: Int = Rq1Server.defaultMaxSessions, idleTimeout: Double = Rq1Server.defaultIdleTimeout,
                handler: @escaping (Rq1Request) -> Void) throws {
        self.maxSessions = maxSessions
        listener = try Listener.unix(loop: loop, path: path) { [weak self] connection in
            guard let self else {
                connection.close()
                return
            }
            connection.setTimeouts(read: idleTimeout, write: idleTimeout)
            let session = Rq1Session(connection: connection, maxPayload: maxPayload, handler: handler) { [weak self] ended in
                self?.sessionEnded(ended)
            }
            self.sessions[ObjectIdentifier(session)] = session
            if self.sessions.count >= self.maxSessions { self.listener?.pause() }
        }
    }

    public var openSessions: Int { sessions.count }

    private func sessionEnded(_ session: Rq1Session) {
        guard sessions.removeValue(forKey: ObjectIdentifier(session)) != nil else { return }
        if sessions.count < maxSessions { listener?.resume() }
    }

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
