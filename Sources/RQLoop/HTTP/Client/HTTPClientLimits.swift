/// Bounds of the HTTP client. Each protects the loop's memory or file descriptors from one
/// slow, broken or hostile remote.
public struct HTTPClientLimits: Sendable {
    /// Name resolution plus TCP connect, in seconds.
    public var connectTimeout: Double
    /// Open connections to one `host:port`; further requests wait their turn (FIFO).
    public var maxConnectionsPerRemote: Int
    /// A response body longer than this fails with `.responseTooLarge`.
    public var maxResponseBytes: Int
    /// Status line plus header block, and header lines.
    public var maxHeaderBytes: Int
    public var maxHeaderCount: Int
    /// How long an idle pooled connection is kept for reuse, in seconds.
    public var keepAliveIdle: Double

    public init(
        connectTimeout: Double = 10,
        maxConnectionsPerRemote: Int = 4,
        maxResponseBytes: Int = 16 << 20,
        maxHeaderBytes: Int = 32 * 1024,
        maxHeaderCount: Int = 100,
        keepAliveIdle: Double = 30
    ) {
        self.connectTimeout = connectTimeout
        self.maxConnectionsPerRemote = max(1, maxConnectionsPerRemote)
        self.maxResponseBytes = maxResponseBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.keepAliveIdle = keepAliveIdle
    }
}
