import RQWire
/// One client connection of an `Rq1Server`: frames are read one at a time, the handler
/// gets each request, and reading pauses until it replies, so requests on a connection
/// are answered strictly in order and a client cannot make the server buffer more than
/// one frame ahead.
final class Rq1Session {
    private enum State {
        case readingHeader
        case readingPayload(size: Int)
        case awaitingReply(Rq1Request)
        case closed
    }

    private let connection: Connection
    private let slot: ConnectionSlot
    private let maxPayload: Int
    private let handler: (Rq1Request) -> Void
    private let onEnd: (Rq1Session) -> Void
    private var state = State.readingHeader
    /// The client shut down its sending side: answer what is buffered, then close.
    private var peerFinished = false

    init(slot: ConnectionSlot, maxPayload: Int,
         handler: @escaping (Rq1Request) -> Void, onEnd: @escaping (Rq1Session) -> Void) {
        self.slot = slot
        let connection = slot.connection
        self.connection = connection
        self.maxPayload = maxPayload
        self.handler = handler
        self.onEnd = onEnd
        // The Connection clears these on close, which breaks the session ↔ connection cycle.
        connection.onReadable = { [self] _ in readFrames() }
        connection.onClose = { [self] _ in ended() }
        connection.onInputEnded = { [self] _ in
            peerFinished = true
            readFrames()
        }
    }

    /// Closes the connection from the server side (server shutdown); no reply is sent.
    func close() {
        state = .closed
        slot.release()
        connection.close()
    }

    func send(reply payload: String, to request: Rq1Request) {
        guard case .awaitingReply(let current) = state, current === request else { return }
        let bytes = Array(payload.utf8)
        guard bytes.count <= Rq1Codec.maxPayload else {
            // Cannot be framed (8 size digits): the client gets a closed connection.
            drop()
            return
        }
        connection.write(Rq1Codec.encode(bytes))
        state = .readingHeader
        slot.setSheddable(true)
        connection.resumeReading()
        if connection.inputCount > 0 || peerFinished {
            // A pipelined next frame is already buffered, or the client has sent EOF: no new
            // bytes may arrive to trigger a read, so parse (or close) next iteration; the
            // handler is never re-entered.
            connection.loop.runSoon { [self] in readFrames() }
        }
    }

    private func readFrames() {
        while true {
            switch state {
            case .readingHeader:
                let header = connection.peekBytes(max: Rq1Codec.headerSize)
                let size: Int?
                do {
                    size = try Rq1Codec.payloadSize(header: header)
                } catch {
                    drop()
                    return
                }
                guard let size else { return waitForInput() }
                guard size <= maxPayload else {
                    drop()
                    return
                }
                connection.discardInput(Rq1Codec.headerSize)
                state = .readingPayload(size: size)
            case .readingPayload(let size):
                guard connection.inputCount >= size else { return waitForInput() }
                guard let payload = String(validating: connection.readBytes(max: size), as: UTF8.self) else {
                    drop()
                    return
                }
                let request = Rq1Request(session: self, payload: payload)
                state = .awaitingReply(request)
                slot.setSheddable(false)
                connection.pauseReading()
                handler(request)
                return
            case .awaitingReply, .closed:
                return
            }
        }
    }

    /// No complete frame is buffered. After the client's EOF none will come: close once the
    /// replies already written are sent.
    private func waitForInput() {
        if peerFinished { connection.closeAfterFlush() }
    }

    /// Bad input: close without a reply.
    private func drop() {
        close()
        onEnd(self)
    }

    /// The peer went away (or an error/timeout ended the connection).
    private func ended() {
        state = .closed
        slot.release()
        onEnd(self)
    }
}
