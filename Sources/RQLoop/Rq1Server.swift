/// The rq1 framed request/reply protocol on a Unix socket (manager and queue sockets).
/// Clients may send one request per connection (the original client) or several in turn.
public final class Rq1Server {
    private var listener: Listener?
    private var sessions: [ObjectIdentifier: Rq1Session] = [:]

    public init(loop: EventLoop, path: String, maxPayload: Int = 64 << 20,
                handler: @escaping (Rq1Request) -> Void) throws {
        listener = try Listener.unix(loop: loop, path: path) { [weak self] connection in
            guard let self else {
                connection.close()
                return
            }
            let session = Rq1Session(connection: connection, maxPayload: maxPayload, handler: handler) { [weak self] ended in
                self?.sessions[ObjectIdentifier(ended)] = nil
            }
            self.sessions[ObjectIdentifier(session)] = session
        }
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
