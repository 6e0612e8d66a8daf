internal import CHTTPParser

/// What the session learns from the parser while a request streams in.
protocol RequestParserDelegate: AnyObject {
    /// Request line and headers are complete; throwing an `HTTPError` stops the request.
    func requestHeadReceived(_ head: HTTPRequestHead) throws
    /// A piece of the (de-chunked) body; the buffer is only valid during the call.
    func requestBodyReceived(_ bytes: UnsafeRawBufferPointer) throws
}

/// One request at a time out of a byte stream, by the C library http-parser. The wrapper
/// builds the request head from the parser's pieces, enforces the header limits, and pauses
/// the parser after each complete message so pipelined requests are handled strictly in order.
final class RequestParser {
    enum Phase {
        case betweenMessages
        case head
        case body
    }

    enum Outcome {
        /// All given bytes were consumed; the request needs more.
        case needMore
        /// A request ended; bytes after it were not consumed.
        case messageComplete
        case failed(HTTPError)
    }

    private(set) var phase = Phase.betweenMessages
    weak var delegate: RequestParserDelegate?

    private let parser: UnsafeMutablePointer<http_parser>
    private let settings: UnsafeMutablePointer<http_parser_settings>
    private let maxHeaderBytes: Int
    private let maxHeaderCount: Int

    /// Bytes fed since the current message began (or since the last one ended), while its
    /// head was still incomplete.
    private var headBytes = 0
    private var failure: HTTPError?
    private var target: [UInt8] = []
    private var headers: [(name: String, value: String)] = []
    private var fieldName: [UInt8] = []
    private var fieldValue: [UInt8] = []
    private var inValue = false

    init(limits: HTTPLimits) {
        maxHeaderBytes = limits.maxHeaderBytes
        maxHeaderCount = limits.maxHeaderCount
        parser = .allocate(capacity: 1)
        http_parser_init(parser, HTTP_REQUEST)
        settings = .allocate(capacity: 1)
        http_parser_settings_init(settings)
        settings.pointee.on_message_begin = { RequestParser.owner($0)?.messageBegan() ?? -1 }
        settings.pointee.on_url = { RequestParser.owner($0)?.targetPiece($1, $2) ?? -1 }
        settings.pointee.on_header_field = { RequestParser.owner($0)?.headerFieldPiece($1, $2) ?? -1 }
        settings.pointee.on_header_value = { RequestParser.owner($0)?.headerValuePiece($1, $2) ?? -1 }
        settings.pointee.on_headers_complete = { RequestParser.owner($0)?.headersCompleted() ?? -1 }
        settings.pointee.on_body = { RequestParser.owner($0)?.bodyPiece($1, $2) ?? -1 }
        settings.pointee.on_message_complete = { RequestParser.owner($0)?.messageCompleted() ?? -1 }
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
        guard count > 0 else { return (0, .failed(.headersTooLarge("request header too large"))) }
        let consumed = withExtendedLifetime(self) {
            http_parser_execute(parser, settings, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), count)
        }
        let code = parser.pointee.http_errno
        if code == HPE_PAUSED.rawValue { return (consumed, .messageComplete) }
        if code != HPE_OK.rawValue { return (consumed, .failed(failure ?? Self.error(for: code))) }
        // Only a head still incomplete is charged: a completed one reset the count, and blank
        // lines before a request (no message begun yet) hold no memory.
        if phase == .head {
            headBytes += consumed
            if headBytes >= maxHeaderBytes {
                return (consumed, .failed(.headersTooLarge("request header too large")))
            }
        }
        return (consumed, .needMore)
    }

    /// Whether the current request asked to switch protocols (the parser stops after its head).
    var isUpgrade: Bool { parser.pointee.upgrade != 0 }

    private static func owner(_ parser: UnsafeMutablePointer<http_parser>?) -> RequestParser? {
        guard let data = parser?.pointee.data else { return nil }
        return Unmanaged<RequestParser>.fromOpaque(data).takeUnretainedValue()
    }

    private static func error(for code: UInt32) -> HTTPError {
        switch code {
        case HPE_HEADER_OVERFLOW.rawValue:
            return .headersTooLarge("request header too large")
        case HPE_INVALID_TRANSFER_ENCODING.rawValue:
            return HTTPError(status: 501, message: "unsupported transfer coding")
        default:
            let description = http_errno_description(http_errno(rawValue: code)).map { String(cString: $0) }
            return .badRequest("malformed request: \(description ?? "parse error")")
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
            failure = .headersTooLarge("too many request headers")
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
        let method = http_method_str(http_method(rawValue: parser.pointee.method)).map { String(cString: $0) } ?? "UNKNOWN"
        let keepAlive = http_should_keep_alive(parser) != 0 && parser.pointee.upgrade == 0
        let head = HTTPRequestHead(
            method: method,
            target: String(decoding: target, as: UTF8.self),
            version: (Int(parser.pointee.http_major), Int(parser.pointee.http_minor)),
            headers: headers,
            keepAlive: keepAlive
        )
        phase = .body
        headBytes = 0
        do {
            try delegate?.requestHeadReceived(head)
        } catch {
            failure = error as? HTTPError ?? .storage("\(error)")
            return -1  // 1 and 2 mean "skip body" to http-parser; anything else is an error
        }
        return 0
    }

    private func bodyPiece(_ at: UnsafePointer<CChar>?, _ length: Int) -> Int32 {
        do {
            try delegate?.requestBodyReceived(UnsafeRawBufferPointer(start: at, count: at == nil ? 0 : length))
        } catch {
            failure = error as? HTTPError ?? .storage("\(error)")
            return 1
        }
        return 0
    }

    private func messageCompleted() -> Int32 {
        phase = .betweenMessages
        headBytes = 0
        // Stop right after this message: the next pipelined request waits for this response.
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
