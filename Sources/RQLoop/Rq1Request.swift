import RQWire
/// One rq1 request as the handler sees it. `reply` may be called right away or later
/// (after a group commit); only the first reply counts, and a reply to a connection
/// that has gone away is dropped.
public final class Rq1Request {
    public let command: String
    public let argument: String
    private let session: Rq1Session
    private var replied = false

    init(session: Rq1Session, payload: String) {
        self.session = session
        (command, argument) = Rq1Codec.splitRequest(payload)
    }

    /// Sends `payload` as one rq1 frame.
    public func reply(_ payload: String) {
        guard !replied else { return }
        replied = true
        session.send(reply: payload, to: self)
    }
}
