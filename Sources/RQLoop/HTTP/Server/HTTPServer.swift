/// The loop's connections are the HTTP sessions' transport: same method names, no adapter.
extension Connection: HTTPTransport {}

/// Settings of an `HTTPServer`.
public struct HTTPServerSettings: Sendable {
    /// Open connections; at the cap the oldest idle or slow one is shed (`ServerListener`).
    public var maxConnections: Int
    /// The whole request head (request line and headers) must arrive within this many seconds
    /// of its first byte; a body may not pause longer than this between bytes.
    public var headerTimeout: Double
    /// Between requests, and for a peer that stops taking a response.
    public var idleTimeout: Double
    public var limits: HTTPLimits
    /// Where uploaded file parts are written.
    public var uploadDirectory: String

    public init(uploadDirectory: String, maxConnections: Int = 1024, headerTimeout: Double = 10,
                idleTimeout: Double = 60, limits: HTTPLimits = HTTPLimits()) {
        self.uploadDirectory = uploadDirectory
        self.maxConnections = maxConnections
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.limits = limits
    }
}

/// An HTTP/1.1 server on a TCP listener: one `HTTPSession` per connection, with the connection
/// cap of a `ServerListener` and the header, body and idle timeouts.
public final class HTTPServer {
    private let loop: EventLoop
    private let settings: HTTPServerSettings
    private let handler: (HTTPRequest, HTTPResponder, _ peer: String) -> Void
    private var listener: ServerListener?

    public init(loop: EventLoop, host: String, port: Int, settings: HTTPServerSettings,
                handler: @escaping (HTTPRequest, HTTPResponder, _ peer: String) -> Void) throws {
        self.loop = loop
        self.settings = settings
        self.handler = handler
        weak var weakSelf: HTTPServer?
        listener = try ServerListener(loop: loop, maxConnections: settings.maxConnections) { onAccept in
            try Listener.tcp(loop: loop, host: host, port: port, onAccept: onAccept)
        } onAccept: { slot in
            guard let self = weakSelf else { return slot.connection.close() }
            self.serve(slot)
        }
        weakSelf = self
    }

    public var port: Int { listener?.port ?? 0 }
    public var openConnections: Int { listener?.openConnections ?? 0 }
    /// Connections shed at the cap so far.
    public var shedConnections: Int { listener?.shedCount ?? 0 }

    /// Stops accepting; connections already open finish on their own.
    public func close() {
        listener?.close()
    }

    private func serve(_ slot: ConnectionSlot) {
        let connection = slot.connection
        let peer = connection.peer
        let handler = self.handler
        let session = HTTPSession(transport: connection, limits: settings.limits,
                                  uploadDirectory: settings.uploadDirectory) { request, responder in
            handler(request, responder, peer)
        }
        let timing = HTTPConnectionTiming(loop: loop, slot: slot, session: session, settings: settings)
        connection.userData = session
        timing.apply()
        session.onResponseSent = { [weak timing] in timing?.apply() }
        connection.onReadable = { conn in
            session.feed(conn.readBytes(max: HTTPServer.readSlice))
            timing.apply()
        }
        // A half-closed client still gets the answers to the requests it sent.
        connection.onInputEnded = { _ in session.peerClosed() }
        connection.onClose = { conn in
            session.peerClosed()
            conn.userData = nil
            slot.release()
            _ = timing
        }
    }

    /// Bytes taken from one connection per loop callback, so that one fast upload cannot keep
    /// the loop from other clients for long.
    static let readSlice = 64 * 1024
}
