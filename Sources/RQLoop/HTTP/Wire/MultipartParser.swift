import Foundation

/// Receives the parts of a multipart body as they stream through `MultipartParser`.
protocol MultipartSink: AnyObject {
    func partBegan(_ head: MultipartPartHead) throws
    /// Content bytes of the current part; only valid during the call.
    func partData(_ bytes: UnsafeRawBufferPointer) throws
    func partEnded() throws
}

/// Headers of one part.
struct MultipartPartHead {
    var headers: [(name: String, value: String)]
    /// Size of the header block on the wire (charged to the form's non-file bytes).
    var byteCount: Int

    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    private var disposition: HeaderParameters? {
        header("Content-Disposition").map(HeaderParameters.init)
    }

    /// The form field name.
    var name: String? { disposition?.parameter("name") }

    /// `filename`, else an RFC 5987 `filename*` (`UTF-8''%e2%82%ac.txt`), else nil (text part).
    var filename: String? {
        guard let disposition else { return nil }
        if let plain = disposition.parameter("filename") { return plain }
        guard let extended = disposition.parameter("filename*"), let quote = extended.range(of: "''") else { return nil }
        return FormDecoding.percentDecode(String(extended[quote.upperBound...]))
    }

    var contentType: String? { header("Content-Type") }
}

/// Incremental `multipart/form-data` parser (RFC 2046 §5.1, RFC 7578). Hand-written: the
/// libraries at hand (Foundation, http-parser) have no multipart support, and the ones that do
/// (e.g. vapor/multipart-kit) need SwiftNIO buffers and an async stream; this one is fed
/// straight from the request parser's body callback and never holds more than a partial
/// delimiter or a partial header line, so part contents of any size stream through.
///
/// Any chunking works: a delimiter or header line split across feeds is carried over.
final class MultipartParser {
    private enum State {
        /// Before the first delimiter: skipped.
        case preamble
        /// Right after a delimiter: `--` (the end) or optional blanks and CRLF (a part follows).
        case delimiterLine
        case partHeaders
        case partBody
        /// After the closing delimiter: ignored.
        case epilogue
    }

    private static let cr: UInt8 = 13
    private static let lf: UInt8 = 10
    private static let dash = UInt8(ascii: "-")

    /// CRLF `--` boundary: the delimiter as it appears before every part but the first.
    private let delimiter: [UInt8]
    private let maxHeaderBytes: Int
    private let maxHeaderCount: Int
    private var state = State.preamble
    /// Unprocessed bytes kept for the next feed. Starts as a virtual CRLF so the first
    /// delimiter, which has no CRLF of its own, matches like every other.
    private var carry: [UInt8] = [cr, lf]
    private var headers: [(name: String, value: String)] = []
    private var headerBytes = 0

    init(boundary: String, maxHeaderBytes: Int, maxHeaderCount: Int) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
    }

    /// Whether the closing delimiter has been seen.
    var isComplete: Bool {
        if case .epilogue = state { return true }
        return false
    }

    func feed(_ input: UnsafeRawBufferPointer, into sink: MultipartSink) throws {
        guard !input.isEmpty else { return }
        if carry.isEmpty {
            let consumed = try process(input, sink)
            carry = Array(input[consumed...])
        } else {
            var work = carry
            work.append(contentsOf: input)
            carry = []
            let consumed = try work.withUnsafeBytes { try process($0, sink) }
            carry = Array(work[consumed...])
        }
    }

    /// The body has ended: it must have ended with the closing delimiter.
    func finish() throws {
        guard isComplete else { throw HTTPError.badRequest("multipart body ended before its closing boundary") }
    }

    /// Processes as much of `buffer` as can be decided now; returns the count consumed.
    private func process(_ buffer: UnsafeRawBufferPointer, _ sink: MultipartSink) throws -> Int {
        var index = 0
        while index < buffer.count {
            switch state {
            case .preamble, .partBody:
                let inBody = state == .partBody
                let match = findDelimiter(in: buffer, from: index)
                let dataEnd = match.found ?? match.undecidedFrom
                if inBody, dataEnd > index {
                    try sink.partData(UnsafeRawBufferPointer(rebasing: buffer[index..<dataEnd]))
                }
                guard let found = match.found else { return match.undecidedFrom }
                if inBody { try sink.partEnded() }
                index = found + delimiter.count
                state = .delimiterLine
            case .delimiterLine:
                guard buffer.count - index >= 2 else { return index }
                if buffer[index] == Self.dash, buffer[index + 1] == Self.dash {
                    state = .epilogue
                    return buffer.count
                }
                guard let lineEnd = firstIndex(of: Self.lf, in: buffer, from: index) else {
                    if buffer.count - index > 256 { throw HTTPError.badRequest("malformed multipart boundary line") }
                    return index
                }
                // RFC 2046 allows transport padding (blanks) between the boundary and CRLF.
                let padding = buffer[index..<lineEnd]
                guard padding.last == Self.cr, padding.dropLast().allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else {
                    throw HTTPError.badRequest("malformed multipart boundary line")
                }
                index = lineEnd + 1
                headers = []
                headerBytes = 0
                state = .partHeaders
            case .partHeaders:
                guard let lineEnd = firstIndex(of: Self.lf, in: buffer, from: index) else {
                    if headerBytes + (buffer.count - index) > maxHeaderBytes {
                        throw HTTPError.headersTooLarge("multipart part header too large")
                    }
                    return index
                }
                headerBytes += lineEnd + 1 - index
                if headerBytes > maxHeaderBytes { throw HTTPError.headersTooLarge("multipart part header too large") }
                var line = buffer[index..<lineEnd]
                if line.last == Self.cr { line = line.dropLast() }
                index = lineEnd + 1
                if line.isEmpty {
                    state = .partBody
                    try sink.partBegan(MultipartPartHead(headers: headers, byteCount: headerBytes))
                } else {
                    try addHeaderLine(line)
                }
            case .epilogue:
                return buffer.count
            }
        }
        return index
    }

    private func addHeaderLine(_ line: Slice<UnsafeRawBufferPointer>) throws {
        let text = String(decoding: line, as: UTF8.self)
        if let first = line.first, first == 0x20 || first == 0x09, !headers.isEmpty {
            headers[headers.count - 1].value += " " + text.trimmingASCIISpaces()  // obsolete line folding
            return
        }
        guard let colon = text.firstIndex(of: ":") else { throw HTTPError.badRequest("malformed multipart part header") }
        guard headers.count < maxHeaderCount else { throw HTTPError.headersTooLarge("too many multipart part headers") }
        headers.append((String(text[..<colon]).trimmingASCIISpaces(), String(text[text.index(after: colon)...]).trimmingASCIISpaces()))
    }

    /// Looks for the delimiter from `start`. `found` is its position; otherwise `undecidedFrom`
    /// is where a tail begins that could still turn into a delimiter with the next feed
    /// (or the buffer's end when none can).
    private func findDelimiter(in buffer: UnsafeRawBufferPointer, from start: Int) -> (found: Int?, undecidedFrom: Int) {
        guard let base = buffer.baseAddress else { return (nil, buffer.count) }
        var position = start
        while position < buffer.count {
            guard let hit = memchr(base + position, Int32(Self.cr), buffer.count - position) else { break }
            let candidate = base.distance(to: UnsafeRawPointer(hit))
            let available = buffer.count - candidate
            let compared = min(available, delimiter.count)
            let matches = delimiter.withUnsafeBytes { pattern in
                guard let patternBase = pattern.baseAddress else { return false }
                return memcmp(base + candidate, patternBase, compared) == 0
            }
            if matches {
                return compared == delimiter.count ? (candidate, candidate) : (nil, candidate)
            }
            position = candidate + 1
        }
        return (nil, buffer.count)
    }

    private func firstIndex(of byte: UInt8, in buffer: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let base = buffer.baseAddress, start < buffer.count,
              let hit = memchr(base + start, Int32(byte), buffer.count - start) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }
}
