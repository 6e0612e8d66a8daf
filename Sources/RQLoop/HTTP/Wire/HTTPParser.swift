internal import CHTTPParser

/// What the owner learns from the parser while a message streams in.
protocol HTTPParserDelegate: AnyObject {
    /// Start line and headers are complete; throwing an `HTTPError` stops the message.
    /// Returning `.skipBody` says the message has no body whatever its headers claim (the
    /// response to a HEAD request).
    func headReceived(_ head: HTTPParsedHead) throws -> HTTPParser.BodyExpectation
    /// A piece of the (de-chunked) body; the buffer is only valid during the call.
    func bodyReceived(_ bytes: UnsafeRawBufferPointer) throws
}

/// A message head as the parser saw it: request line or status line, plus headers.
struct HTTPParsedHead {
    /// Requests only ("" for responses).
    var method: String
    var target: String
    /// Responses only (0 for requests).
    var status: Int
    var version: (major: Int, minor: Int)
    var headers: [(name: String, value: String)]
    /// Whether the connection may carry another message (version rules + `Connection`).
    var keepAlive: Bool
}

/// One HTTP/1.x message at a time out of a byte stream, by the C library http-parser: requests
/// for the server, responses for the client. The wrapper builds the head from the parser's
/// pieces, enforces the header limits, and pauses the parser after each complete message so
/// pipelined messages are handled strictly in order.
final class HTTPParser {
    enum Kind {
        case request
        case response
    }

    enum BodyExpectation {
        case asDeclared
        case skipBody
    }

    enum Phase {
        case betweenMessages
        case head
        case body
    }

    enum Outcome {
        /// All given bytes were consumed; the message needs more.
        case needMore
        /// A message ended; bytes after it were not consumed.
        case messageComplete
        case failed(HTTPError)
    }

    private(set) var phase = Phase.betweenMessages
    weak var delegate: HTTPParserDelegate?

    private let parser: UnsafeMutablePointer<http_parser>
    private let settings: UnsafeMutablePointer<http_parser_settings>
    private let maxHeaderBytes: Int
    private let maxHeaderCount: Int
    private let kind: Kind

    /// Bytes fed since the current message began (or since the last one ended), while its
    /// head was still incomplete.
    private var headBytes = 0
    private var failure: HTTPError?
    private var target: [UInt8] = []
    private var headers: [(name: String, value: String)] = []
    private var fieldName: [UInt8] = []
    private var fieldValue: [UInt8] = []
    private var inValue = false

    init(kind: Kind, maxHeaderBytes: Int, maxHeaderCount: Int) {
        self.kind = kind
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        parser = .allocate(capacity: 1)
        http_parser_init(parser, kind == .request ? HTTP_REQUEST : HTTP_RESPONSE)
        settings = .allocate(capacity: 1)
        http_parser_settings_init(settings)
        settings.pointee.on_message_begin = { HTTPParser.owner($0)?.messageBegan() ?? -1 }
        settings.pointee.on_url = { HTTPParser.owner($0)?.targetPiece($1, $2) ?? -1 }
        settings.pointee.on_header_field = { HTTPParser.owner($0)?.headerFieldPiece($1, $2) ?? -1 }
        settings.pointee.on_header_value = { HTTPParser.owner($0)?.headerValuePiece($1, $2) ?? -1 }
        settings.pointee.on_headers_complete = { HTTPParser.owner($0)?.headersCompleted() ?? -1 }
        settings.pointee.on_body = { HTTPParser.owner($0)?.bodyPiece($1, $2) ?? -1 }
        settings.pointee.on_message_complete = { HTTPParser.owner($0)?.messageCompleted() ?? -1 }
        parser.pointee.data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        parser.deallocate()
        settings.deallocate()
    }

    /// Feeds bytes; returns how many were consumed. While the head is incomplete at most the
    /// remaining header allowance is fed, so an oversized head is caught at exactly the limit.
    func execute(_ bytes: UnsafeRawBufferPointer) -> (consumed: Int, outcome: Outcome) {
        guard !bytes.isEmpty else { return (0, .needMore) }  // a zero-length execute means EOF
        if parser.pointee.http_errno == HPE_PAUSED.rawValue { http_parser_pause(parser, 0) }
        let count = phase == .body ? bytes.count : min(bytes.count, maxHeaderBytes - headBytes)
        guard count > 0 else { return (0, .failed(.headersTooLarge("\(kind) header too large"))) }
        let consumed = withExtendedLifetime(self) {
            http_parser_execute(parser, settings, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), count)
        }
        let code = parser.pointee.http_errno
        if code == HPE_PAUSED.rawValue { return (consumed, .messageComplete) }
        if code != HPE_OK.rawValue { return (consumed, .failed(failure ?? Self.error(for: code, kind: kind))) }
        // Only a head still incomplete is charged: a completed one reset the count, and blank
        // lines before a request (no message begun yet) hold no memory.
        if phase == .head {
            headBytes += consumed
            if headBytes >= maxHeaderBytes {
                return (consumed, .failed(.headersTooLarge("\(kind) header too large")))
            }
        }
        return (consumed, .needMore)
    }

    /// Forgets any message in progress, ready for a new stream (a client's next exchange).
    func reset() {
        http_parser_init(parser, kind == .request ? HTTP_REQUEST : HTTP_RESPONSE)
        parser.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        phase = .betweenMessages
        headBytes = 0
        failure = nil
    }

    /// The peer closed the stream. Completes a response whose body runs to the end of the
    /// connection (no length, not chunked); anything else cut short is an error.
    func finish() -> Outcome {
        if parser.pointee.http_errno == HPE_PAUSED.rawValue { http_parser_pause(parser, 0) }
        let phaseBefore = phase
        _ = withExtendedLifetime(self) { http_parser_execute(parser, settings, nil, 0) }
        let code = parser.pointee.http_errno
        if code == HPE_PAUSED.rawValue { return .messageComplete }
        if code != HPE_OK.rawValue { return .failed(failure ?? Self.error(for: code, kind: kind)) }
        return phaseBefore == .betweenMessages ? .needMore : .failed(.badRequest("\(kind) cut short"))
    }

    /// Whether the current message switches protocols (the parser stops after its head).
    var isUpgrade: Bool { parser.pointee.upgrade != 0 }

    private static func owner(_ parser: UnsafeMutablePointer<http_parser>?) -> HTTPParser? {
        guard let data = parser?.pointee.data else { return nil }
        return Unmanaged<HTTPParser>.fromOpaque(data).takeUnretainedValue()
    }

    private static func error(for code: UInt32, kind: Kind) -> HTTPError {
        switch code {
        case HPE_HEADER_OVERFLOW.rawValue:
            return .headersTooLarge("\(kind) header too large")
        case HPE_INVALID_TRANSFER_ENCODING.rawValue:
            return HTTPError(status: 501, message: "unsupported transfer coding")
        default:
            let description = http_errno_description(http_errno(rawValue: code)).map { String(cString: $0) }
            return .badRequest("malformed \(kind): \(description ?? "parse error")")
        }
    }

    // MARK: - callbacks (return non-zero to stop the parser)

    private func messageBegan() -> Int32 {
        phase = .head
        target = []
        headers = []
        fieldName = []
        fieldValue = []
        inValue = false
        failure = nil
        return 0
    }

    private func targetPiece(_ at: UnsafePointer<CChar>?, _ length: Int) -> Int32 {
        append(at, length, to: &target)
        return 0
    }

    private func headerFieldPiece(_ at: UnsafePointer<CChar>?, _ length: Int) -> Int32 {
        guard phase == .head else { return 0 }  // chunked trailers: ignored
        if inValue {
            finishHeader()
        }
        if fieldName.isEmpty, headers.count >= maxHeaderCount {
            failure = .headersTooLarge("too many \(kind) headers")
            return 1
        }
        append(at, length, to: &fieldName)
        return 0
    }

    private func headerValuePiece(_ at: UnsafePointer<CChar>?, _ length: Int) -> Int32 {
        guard phase == .head else { return 0 }
        inValue = true
        append(at, length, to: &fieldValue)
        return 0
    }

    private func headersCompleted() -> Int32 {
        if inValue || !fieldName.isEmpty { finishHeader() }
        let method = kind == .request
            ? http_method_str(http_method(rawValue: parser.pointee.method)).map { String(cString: $0) } ?? "UNKNOWN"
            : ""
        let head = HTTPParsedHead(
            method: method,
            target: String(decoding: target, as: UTF8.self),
            status: kind == .response ? Int(parser.pointee.status_code) : 0,
            version: (Int(parser.pointee.http_major), Int(parser.pointee.http_minor)),
            headers: headers,
            keepAlive: http_should_keep_alive(parser) != 0 && parser.pointee.upgrade == 0
        )
        phase = .body
        headBytes = 0
        do {
            // 1 tells http-parser the message has no body.
            return try delegate?.headReceived(head) == .skipBody ? 1 : 0
        } catch {
            failure = error as? HTTPError ?? .storage("\(error)")
            return -1  // 1 and 2 mean "skip body" to http-parser; anything else is an error
        }
    }

    private func bodyPiece(_ at: UnsafePointer<CChar>?, _ length: Int) -> Int32 {
        do {
            try delegate?.bodyReceived(UnsafeRawBufferPointer(start: at, count: at == nil ? 0 : length))
        } catch {
            failure = error as? HTTPError ?? .storage("\(error)")
            return 1
        }
        return 0
    }

    private func messageCompleted() -> Int32 {
        phase = .betweenMessages
        headBytes = 0
        // Stop right after this message: the next pipelined one waits until this one is handled.
        http_parser_pause(parser, 1)
        return 0
    }

    private func finishHeader() {
        headers.append((
            name: String(decoding: fieldName, as: UTF8.self),
            value: String(decoding: fieldValue, as: UTF8.self).trimmingASCIISpaces()
        ))
        fieldName = []
        fieldValue = []
        inValue = false
    }

    private func append(_ at: UnsafePointer<CChar>?, _ length: Int, to bytes: inout [UInt8]) {
        guard let at, length > 0 else { return }
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: at, count: length))
    }
}
