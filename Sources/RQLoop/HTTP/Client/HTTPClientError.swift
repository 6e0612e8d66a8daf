/// Why `HTTPClient.send` produced no response. 4xx and 5xx are responses, not errors.
public enum HTTPClientError: Error, Equatable, CustomStringConvertible, Sendable {
    case invalidURL(String)
    /// The host name could not be resolved.
    case resolve(String)
    /// The TCP connection could not be made (refused, unreachable…).
    case connect(String)
    case connectTimeout
    /// No complete response before the deadline, or the peer stopped taking the request body.
    case timeout
    /// The peer closed or reset the connection before a complete response (truncated body,
    /// fewer bytes than its Content-Length, no answer at all).
    case connectionClosed(String)
    /// Bytes that are not an HTTP/1.x response, or a head over the limits.
    case malformedResponse(String)
    /// The body exceeded this many bytes.
    case responseTooLarge(Int)
    /// A 3xx: redirects are never followed.
    case redirect(status: Int, location: String?)
    /// The file of a multipart upload could not be read, or changed size while being sent.
    case file(String)
    /// `HTTPClient.close()` ended the request.
    case cancelled

    public var description: String {
        switch self {
        case .invalidURL(let url): "invalid URL: \(url)"
        case .resolve(let text): text
        case .connect(let text): "connect failed: \(text)"
        case .connectTimeout: "connect timed out"
        case .timeout: "timed out waiting for the response"
        case .connectionClosed(let text): "connection closed: \(text)"
        case .malformedResponse(let text): "malformed response: \(text)"
        case .responseTooLarge(let limit): "response larger than \(limit) bytes"
        case .redirect(let status, let location): "redirect \(status) to \(location ?? "(no Location)") not followed"
        case .file(let text): "upload file: \(text)"
        case .cancelled: "cancelled"
        }
    }
}
