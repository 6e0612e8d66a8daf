/// Applies the server's timeouts and shedding state to one connection as its session moves
/// between idle, receiving a head, receiving a body and answering.
///
/// The header timeout is a deadline for the whole head, counted from its first byte: a client
/// sending one byte every few seconds does not restart it (slowloris).
final class HTTPConnectionTiming {
    private let loop: EventLoop
    private let slot: ConnectionSlot
    private weak var session: HTTPSession?
    private let settings: HTTPServerSettings
    private var headDeadline: Double?
    /// A fresh connection gets the header timeout, not the idle one, for its first request.
    private var awaitingFirstRequest = true

    init(loop: EventLoop, slot: ConnectionSlot, session: HTTPSession, settings: HTTPServerSettings) {
        self.loop = loop
        self.slot = slot
        self.session = session
        self.settings = settings
    }

    /// Call after every change: bytes fed, response sent.
    func apply() {
        guard let session else { return }
        let connection = slot.connection
        switch session.activity {
        case .idle where !awaitingFirstRequest:
            headDeadline = nil
            slot.setSheddable(true)
            connection.setTimeouts(read: settings.idleTimeout, write: settings.idleTimeout)
        case .idle, .receivingHead:
            let now = loop.now
            let deadline = headDeadline ?? now + settings.headerTimeout
            headDeadline = deadline
            slot.setSheddable(true)
            guard deadline > now else {
                connection.fail("request head not received within \(settings.headerTimeout) s")
                return
            }
            // libevent's read timeout restarts with every read; set to what is left, it ends
            // the connection at the deadline unless the head completes first.
            connection.setTimeouts(read: deadline - now, write: settings.idleTimeout)
        case .receivingBody:
            awaitingFirstRequest = false
            headDeadline = nil
            slot.setSheddable(false)
            connection.setTimeouts(read: settings.headerTimeout, write: settings.idleTimeout)
        case .awaitingResponse, .closed:
            awaitingFirstRequest = false
            headDeadline = nil
            slot.setSheddable(false)
            connection.setTimeouts(read: settings.headerTimeout, write: settings.idleTimeout)
        }
    }
}
