/// Bounds the session enforces while receiving a request. Every bound protects memory or disk
/// from a single client; exceeding one ends the connection with 431 or 413.
public struct HTTPLimits: Sendable {
    /// Request line plus header block (and, for each multipart part, its header block).
    public var maxHeaderBytes: Int
    /// Header lines per request (and per multipart part).
    public var maxHeaderCount: Int
    /// One non-file form field (a multipart text part).
    public var maxFieldBytes: Int
    /// A whole urlencoded body, all non-file bytes of a multipart body, or a raw body.
    public var maxFormBytes: Int
    /// One file part of a multipart body.
    public var maxUploadBytes: Int64
    /// File parts in one multipart body (each one is a temp file on disk).
    public var maxUploadFiles: Int

    public init(
        maxHeaderBytes: Int = 32 * 1024,
        maxHeaderCount: Int = 100,
        maxFieldBytes: Int = 1024 * 1024,
        maxFormBytes: Int = 8 * 1024 * 1024,
        maxUploadBytes: Int64 = 64 * 1024 * 1024 * 1024,
        maxUploadFiles: Int = 100
    ) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxFieldBytes = maxFieldBytes
        self.maxFormBytes = maxFormBytes
        self.maxUploadBytes = maxUploadBytes
        self.maxUploadFiles = maxUploadFiles
    }
}
