/// The HTTP/1.1 server side of one connection, independent of any socket: the connection
/// feeds it the bytes it reads and it writes responses through an `HTTPTransport`.
///
/// Requests are parsed (by http-parser) and handled strictly one at a time: once a request is
/// complete it goes to the handler and further input is buffered (and the transport paused)
/// until its response has been written, so pipelined responses can never be reordered and an
/// `Expect: 100-continue` is answered only when its request is the current one.
/// Bodies stream through a `RequestBodyReader`; file parts land in `uploadDirectory`.
public final class HTTPSession {
    /// What the connection is doing, for choosing its timeout.
    public enum Activity: Equatable, Sendable {
        /// Between requests.
        case idle
        case receivingHead
        case receivingBody
        /// A handler has the current request.
        case awaitingResponse
        /// Closing: nothing more will be read or answered.
        case closed
    }

    private enum State {
        case reading
        case awaitingResponse(sequence: Int, head: HTTPRequestHead)
        case closed
    }

    private weak var transport: HTTPTransport?
    private let limits: HTTPLimits
    private let uploadDirectory: String
    private let handler: (HTTPRequest, HTTPResponder) -> Void
    private let parser: HTTPParser

    private var state = State.reading
    /// Received bytes not yet given to the parser; `inboxStart` marks the consumed prefix.
    private var inbox: [UInt8] = []
    private var inboxStart = 0
    /// The request whose head has arrived and whose body is streaming in.
    private var currentHead: HTTPRequestHead?
    private var body: RequestBodyReader?
    private var peerEnded = false
    private var pumping = false
    private var readingPaused = false
    private var nextSequence = 0
    /// Called after each response is queued, once the session reads again (the transport may
    /// want to switch to its idle timeout).
    public var onResponseSent: (() -> Void)?

    public init(
        transport: HTTPTransport, limits: HTTPLimits, uploadDirectory: String,
        handler: @escaping (HTTPRequest, HTTPResponder) -> Void
    ) {
        self.transport = transport
        self.limits = limits
        self.uploadDirectory = uploadDirectory
        self.handler = handler
        parser = HTTPParser(kind: .request, maxHeaderBytes: limits.maxHeaderBytes, maxHeaderCount: limits.maxHeaderCount)
        parser.delegate = self
    }

    deinit {
        body?.abandon()
    }

    /// Bytes read from the peer, in any chunking.
    public func feed(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, !peerEnded else { return }
        if case .closed = state { return }
        inbox.append(contentsOf: bytes)
        if case .awaitingResponse = state { pauseReading() }
        pump()
    }

    /// The peer closed its side. A partly received request is abandoned (its uploads deleted);
    /// complete requests already buffered are still answered, then the session closes.
    public func peerClosed() {
        if case .closed = state { return }
        peerEnded = true
        pump()
    }

    /// No request in progress: nothing received of a next request and none awaiting a response.
    public var isIdle: Bool { activity == .idle }

    public var activity: Activity {
        switch state {
        case .closed: return .closed
        case .awaitingResponse: return .awaitingResponse
        case .reading:
            switch parser.phase {
            case .betweenMessages: return .idle
            case .head: return .receivingHead
            case .body: return .receivingBody
            }
        }
    }

    // MARK: - reading

    /// Parses buffered input until it runs out, a request goes to its handler, or the session
    /// closes. Not re-entrant: a handler that responds at once is continued by the loop here.
    private func pump() {
        guard !pumping else { return }
        pumping = true
        defer { pumping = false }
        parsing: while case .reading = state, inboxStart < inbox.count {
            let (consumed, outcome) = inbox.withUnsafeBytes { all in
                parser.execute(UnsafeRawBufferPointer(rebasing: all[inboxStart...]))
            }
            inboxStart += consumed
            switch outcome {
            case .needMore:
                if consumed == 0 { break parsing }  // cannot happen with input left; never spin
            case .messageComplete:
                dispatchRequest()
            case .failed(let error):
                fail(error)
            }
        }
        compactInbox()
        if case .reading = state, peerEnded {
            abandonRequest()
            close()
        }
    }

    private func compactInbox() {
        if inboxStart >= inbox.count {
            inbox.removeAll(keepingCapacity: inbox.capacity <= 1 << 20)
            inboxStart = 0
        } else if inboxStart > 64 * 1024 {
            inbox.removeFirst(inboxStart)
            inboxStart = 0
        }
    }

    private func dispatchRequest() {
        guard let head = currentHead else {
            fail(.badRequest("malformed request"))
            return
        }
        var fields: [(name: String, value: String)]
        do {
            fields = try FormDecoding.parseQuery(head.query).map { (name: $0.0, value: $0.1) }
        } catch {
            fail(error)
            return
        }
        var files: [UploadedFile] = []
        var rawBody: [UInt8] = []
        if let reader = body {
            do {
                let contents = try reader.finish()
                fields += contents.fields
                files = contents.files
                rawBody = contents.body
            } catch {
                fail(error as? HTTPError ?? .badRequest("\(error)"))
                return
            }
        }
        body = nil
        currentHead = nil
        var dispatched = head
        if parser.isUpgrade { dispatched.keepAlive = false }  // the rest of the stream is not HTTP
        let sequence = nextSequence
        nextSequence += 1
        state = .awaitingResponse(sequence: sequence, head: dispatched)
        handler(HTTPRequest(head: dispatched, fields: fields, files: files, body: rawBody),
                HTTPResponder(session: self, sequence: sequence))
        // Input that is already buffered waits in the inbox; reading pauses only if more
        // arrives before the answer (a pipelining client): a client that waits for each
        // answer costs no pause and resume (two epoll_ctl calls) per request.
        if case .awaitingResponse = state, inboxStart < inbox.count { pauseReading() }
    }

    private func pauseReading() {
        guard !readingPaused else { return }
        readingPaused = true
        transport?.pauseReading()
    }

    // MARK: - writing

    func respond(sequence: Int, _ response: HTTPResponse) {
        guard case .awaitingResponse(let pending, let head) = state, pending == sequence else {
            response.body.release()
            return
        }
        let close = !head.keepAlive || HTTPResponseEncoder.asksToClose(response)
        let keepAliveHeader = !close && head.version.major == 1 && head.version.minor == 0
        write(response, close: close, keepAliveHeader: keepAliveHeader,
              withBody: head.method != "HEAD")
        if close {
            self.close()
            return
        }
        state = .reading
        if readingPaused {
            readingPaused = false
            transport?.resumeReading()
        }
        pump()
        onResponseSent?()
    }

    private func write(_ response: HTTPResponse, close: Bool, keepAliveHeader: Bool, withBody: Bool) {
        guard let transport else {
            response.body.release()
            return
        }
        var bytes = HTTPResponseEncoder.head(response, close: close, keepAliveHeader: keepAliveHeader)
        let sendsBody = withBody && !HTTPResponseEncoder.forbidsBody(response.status)
        switch response.body {
        case .bytes(let content):
            if sendsBody { bytes += content }
            transport.write(bytes)
        case .file(let fd, let offset, let length):
            transport.write(bytes)
            if sendsBody {
                transport.writeFile(fd: fd, offset: offset, length: length)
            } else {
                response.body.release()
            }
        case .empty:
            transport.write(bytes)
        }
    }

    /// Answers an error of the session's own with a JSON body and closes.
    private func fail(_ error: HTTPError) {
        let withBody = currentHead?.method != "HEAD"
        abandonRequest()
        write(.jsonError(error.status, error.message), close: true, keepAliveHeader: false, withBody: withBody)
        close()
    }

    private func abandonRequest() {
        body?.abandon()
        body = nil
        currentHead = nil
    }

    private func close() {
        state = .closed
        inbox = []
        inboxStart = 0
        transport?.closeAfterFlush()
    }
}

extension HTTPSession: HTTPParserDelegate {
    func headReceived(_ parsed: HTTPParsedHead) throws -> HTTPParser.BodyExpectation {
        let head = HTTPRequestHead(method: parsed.method, target: parsed.target, version: parsed.version,
                                   headers: parsed.headers, keepAlive: parsed.keepAlive)
        currentHead = head
        if let coding = head.header("Transfer-Encoding"), coding.trimmingASCIISpaces().lowercased() != "chunked" {
            throw HTTPError(status: 501, message: "unsupported transfer coding: \(coding)")
        }
        var expectsContinue = false
        if let expectation = head.header("Expect") {
            guard expectation.trimmingASCIISpaces().lowercased() == "100-continue" else {
                throw HTTPError(status: 417, message: "unsupported expectation: \(expectation)")
            }
            // HTTP/1.0 clients do not know 100 (RFC 9110 §10.1.1): they just send the body.
            expectsContinue = head.version.major == 1 && head.version.minor >= 1
        }
        guard head.isChunked || (head.contentLength ?? 0) > 0 else { return .asDeclared }
        let reader = try RequestBodyReader(
            contentType: head.header("Content-Type"), limits: limits, uploadDirectory: uploadDirectory)
        if !reader.isMultipart, let length = head.contentLength, length > Int64(limits.maxFormBytes) {
            throw HTTPError.tooLarge("request body too large")
        }
        body = reader
        if expectsContinue { transport?.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) }
        return .asDeclared
    }

    func bodyReceived(_ bytes: UnsafeRawBufferPointer) throws {
        try body?.append(bytes)
    }
}
