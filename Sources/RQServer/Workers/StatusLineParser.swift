/// Cuts the bytes a script writes to its status pipe (fd 3) into LF-terminated lines.
/// Reads arrive in arbitrary pieces, so a partial line is kept until its LF comes (the
/// original dropped such pieces). One parser per running job.
public struct StatusLineParser: Sendable {
    public static let defaultMaxLineBytes = 65_536

    /// One complete line, without its LF. `droppedByteCount > 0` means the line was longer
    /// than the limit and only its first `maxLineBytes` bytes are kept (the command word is
    /// at the start, so it survives); the owner logs that.
    public struct Line: Equatable, Sendable {
        public let text: String
        public let droppedByteCount: Int

        public init(text: String, droppedByteCount: Int = 0) {
            self.text = text
            self.droppedByteCount = droppedByteCount
        }
    }

    public let maxLineBytes: Int
    private var pending: [UInt8] = []
    private var droppedInPending = 0

    public init(maxLineBytes: Int = StatusLineParser.defaultMaxLineBytes) {
        self.maxLineBytes = max(1, maxLineBytes)
    }

    /// Bytes held back waiting for their LF (bounded by `maxLineBytes`).
    public var bufferedByteCount: Int { pending.count }

    /// Adds one chunk; returns every line it completed, in order.
    public mutating func feed<Bytes: Collection>(_ bytes: Bytes) -> [Line] where Bytes.Element == UInt8 {
        var lines: [Line] = []
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            keep(bytes[start..<newline])
            lines.append(takeLine())
            start = bytes.index(after: newline)
        }
        keep(bytes[start...])
        return lines
    }

    /// At end of file: an unterminated remainder still counts as a last line.
    public mutating func finish() -> Line? {
        guard !pending.isEmpty || droppedInPending > 0 else { return nil }
        return takeLine()
    }

    private mutating func keep<Bytes: Collection>(_ piece: Bytes) where Bytes.Element == UInt8 {
        let room = maxLineBytes - pending.count
        let kept = min(room, piece.count)
        pending.append(contentsOf: piece.prefix(kept))
        droppedInPending += piece.count - kept
    }

    private mutating func takeLine() -> Line {
        let line = Line(text: String(decoding: pending, as: UTF8.self), droppedByteCount: droppedInPending)
        pending.removeAll(keepingCapacity: true)
        droppedInPending = 0
        return line
    }
}
