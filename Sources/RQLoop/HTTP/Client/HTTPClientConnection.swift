import Glibc

/// One outbound connection of the client: connects, then carries one exchange at a time
/// (write the request, parse the response) and goes back to its pool when the response
/// allows keep-alive.
final class HTTPClientConnection {
    private enum State {
        case connecting(HTTPClientExchange)
        case idle
        /// `written`: the whole request has left; the response deadline runs.
        case exchanging(HTTPClientExchange, written: Bool)
        case closed
    }

    let remote: String
    private let connection: Connection
    private let limits: HTTPClientLimits
    private let parser: HTTPParser
    /// Told when an exchange ends (`reusable`: the connection may carry another) and when the
    /// connection closes; the pool decides what comes next.
    private let onDone: (HTTPClientConnection, _ reusable: Bool) -> Void
    private var state: State
    private var timer: LoopTimer?
    private var head: HTTPParsedHead?
    private var body: [UInt8] = []
    private var bodyTooLarge = false
    private var headRequest = false

    /// nil when libevent cannot start a connection at all.
    init?(loop: EventLoop, exchange: HTTPClientExchange, limits: HTTPClientLimits,
          onDone: @escaping (HTTPClientConnection, Bool) -> Void) {
        guard let connection = Connection.connect(loop: loop, host: exchange.url.host, port: exchange.url.port) else {
            return nil
        }
        remote = exchange.url.remote
        self.connection = connection
        self.limits = limits
        self.onDone = onDone
        state = .connecting(exchange)
        parser = HTTPParser(kind: .response, maxHeaderBytes: limits.maxHeaderBytes, maxHeaderCount: limits.maxHeaderCount)
        parser.delegate = self
        // The Connection clears its callbacks on close, which breaks these cycles.
        connection.onConnected = { [self] _ in connected() }
        connection.onReadable = { [self] _ in readResponse() }
        connection.onWriteDrained = { [self] _ in requestWritten() }
        connection.onClose = { [self] ended in closedByPeer(ended.endReason) }
        timer = LoopTimer(loop: loop) { [weak self] in self?.timedOut() }
        timer?.schedule(after: limits.connectTimeout)
    }

    var isIdle: Bool {
        if case .idle = state { return true }
        return false
    }

    /// Sends `exchange` on this idle connection.
    func start(_ exchange: HTTPClientExchange) {
        guard case .idle = state else {
            exchange.finish(.failure(.connectionClosed("connection not idle")))
            return
        }
        begin(exchange)
    }

    /// Closes without telling the pool (the pool asked); an exchange in flight is cancelled.
    func close(failing error: HTTPClientError = .cancelled) {
        let exchange = currentExchange
        state = .closed
        timer?.close()
        connection.close()
        exchange?.finish(.failure(error))
    }

    // MARK: - sending

    private func connected() {
        guard case .connecting(let exchange) = state else { return }
        begin(exchange)
    }

    private func begin(_ exchange: HTTPClientExchange) {
        state = .exchanging(exchange, written: false)
        head = nil
        body = []
        bodyTooLarge = false
        headRequest = exchange.request.head.starts(with: Array("HEAD ".utf8))
        parser.reset()
        timer?.cancel()
        // While the request goes out, the peer may not stall for longer than the timeout.
        connection.setTimeouts(read: nil, write: exchange.timeout)
        connection.write(exchange.request.head)
        for piece in exchange.request.body {
            switch piece {
            case .bytes(let bytes):
                connection.write(bytes)
            case .file(let path, let size):
                guard let fd = Self.openUnchanged(path, size: size, exchange: exchange) else {
                    fail(exchange, .file("\(path) cannot be opened or changed size"))
                    return
                }
                connection.writeFile(fd: fd, offset: 0, length: size)
            }
        }
        if connection.outputCount == 0 { requestWritten() }
    }

    /// Opens the upload file and checks it still has the size the Content-Length promised.
    private static func openUnchanged(_ path: String, size: Int64, exchange: HTTPClientExchange) -> Int32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, Int64(info.st_size) == size else {
            Glibc.close(fd)
            return nil
        }
        return fd
    }

    private func requestWritten() {
        guard case .exchanging(let exchange, written: false) = state else { return }
        state = .exchanging(exchange, written: true)
        connection.setTimeouts(read: nil, write: nil)
        timer?.schedule(after: exchange.timeout)
    }

    // MARK: - receiving

    private func readResponse() {
        guard case .exchanging(let exchange, _) = state else {
            // Bytes nobody asked for on an idle connection: it cannot be trusted any more.
            closeQuietly()
            return
        }
        while connection.inputCount > 0, case .exchanging = state {
            let bytes = connection.readBytes(max: 256 * 1024)
            var offset = 0
            while offset < bytes.count, case .exchanging = state {
                let (consumed, outcome) = bytes.withUnsafeBytes { raw in
                    parser.execute(UnsafeRawBufferPointer(rebasing: raw[offset...]))
                }
                offset += consumed
                switch outcome {
                case .needMore:
                    if consumed == 0 { return fail(exchange, .malformedResponse("parser stalled")) }
                case .messageComplete:
                    messageComplete(exchange, leftover: offset < bytes.count || connection.inputCount > 0)
                case .failed(let error):
                    return fail(exchange, bodyTooLarge ? .responseTooLarge(limits.maxResponseBytes) : .malformedResponse(error.message))
                }
            }
        }
    }

    private func messageComplete(_ exchange: HTTPClientExchange, leftover: Bool) {
        guard let head else { return fail(exchange, .malformedResponse("response without a head")) }
        if (100..<200).contains(head.status) && head.status != 101 {
            // An interim response (100 Continue…): the real one follows.
            self.head = nil
            body = []
            return
        }
        guard case .exchanging(_, let written) = state else { return }
        let response = HTTPClientResponse(status: head.status, headers: head.headers, body: body)
        // Reusable only when both sides are done and nothing unexpected follows.
        let reusable = head.keepAlive && written && !leftover && head.status != 101
        state = reusable ? .idle : .closed
        if reusable {
            timer?.schedule(after: limits.keepAliveIdle)
        } else {
            timer?.close()
            connection.close()
        }
        if (300..<400).contains(head.status) {
            exchange.finish(.failure(.redirect(status: head.status, location: response.header("Location"))))
        } else {
            exchange.finish(.success(response))
        }
        onDone(self, reusable)
    }

    private func closedByPeer(_ reason: Connection.EndReason?) {
        switch state {
        case .closed:
            return
        case .idle:
            state = .closed
            timer?.close()
            onDone(self, false)
        case .connecting(let exchange):
            switch reason {
            case .error(let text) where text.hasPrefix("cannot resolve"): finishClosed(exchange, .resolve(text))
            case .error(let text): finishClosed(exchange, .connect(text))
            case .timeout: finishClosed(exchange, .connectTimeout)
            case .endOfInput, nil: finishClosed(exchange, .connect("connection closed"))
            }
        case .exchanging(let exchange, _):
            switch reason {
            case .endOfInput, nil:
                // A response delimited by the end of the connection completes now.
                if case .messageComplete = parser.finish(), head != nil {
                    messageComplete(exchange, leftover: true)
                } else {
                    finishClosed(exchange, .connectionClosed(head == nil
                        ? "no response" : "response cut short after \(body.count) body bytes"))
                }
            case .timeout: finishClosed(exchange, .timeout)
            case .error(let text): finishClosed(exchange, .connectionClosed(text))
            }
        }
    }

    private func timedOut() {
        switch state {
        case .connecting(let exchange): fail(exchange, .connectTimeout)
        case .exchanging(let exchange, _): fail(exchange, .timeout)
        case .idle: closeQuietly()  // kept long enough for reuse
        case .closed: return
        }
    }

    // MARK: - endings

    private var currentExchange: HTTPClientExchange? {
        switch state {
        case .connecting(let exchange), .exchanging(let exchange, _): exchange
        case .idle, .closed: nil
        }
    }

    /// The connection is already closing (onClose): finish and tell the pool.
    private func finishClosed(_ exchange: HTTPClientExchange, _ error: HTTPClientError) {
        state = .closed
        timer?.close()
        exchange.finish(.failure(error))
        onDone(self, false)
    }

    /// Ends the exchange with `error`, closes the connection and tells the pool.
    private func fail(_ exchange: HTTPClientExchange, _ error: HTTPClientError) {
        state = .closed
        timer?.close()
        connection.close()
        exchange.finish(.failure(error))
        onDone(self, false)
    }

    private func closeQuietly() {
        state = .closed
        timer?.close()
        connection.close()
        onDone(self, false)
    }
}

extension HTTPClientConnection: HTTPParserDelegate {
    func headReceived(_ head: HTTPParsedHead) throws -> HTTPParser.BodyExpectation {
        self.head = head
        body = []
        // A HEAD response announces a length but carries no body.
        return headRequest ? .skipBody : .asDeclared
    }

    func bodyReceived(_ bytes: UnsafeRawBufferPointer) throws {
        guard body.count + bytes.count <= limits.maxResponseBytes else {
            bodyTooLarge = true
            throw HTTPError.tooLarge("response too large")
        }
        body.append(contentsOf: bytes)
    }
}
