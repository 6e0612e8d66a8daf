/// A request for `HTTPClient.send`.
public struct HTTPClientRequest {
    public var method: String
    /// `http://host[:port]/path?query`; only plain http.
    public var url: String
    /// Extra headers. `Host`, `Content-Length`, `Transfer-Encoding` and `Connection` are the
    /// client's own and are dropped here; `Content-Type` comes from the body unless given.
    public var headers: [(String, String)]
    public var body: HTTPClientBody

    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: HTTPClientBody = .none) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public enum HTTPClientBody {
    case none
    case bytes([UInt8], contentType: String)
    /// `application/x-www-form-urlencoded`.
    case form([(String, String)])
    /// `multipart/form-data`: the text fields, then at most one file part streamed from disk.
    case multipart(fields: [(String, String)], file: HTTPClientFilePart?)
}

/// A file sent as one multipart part without being read into memory.
public struct HTTPClientFilePart {
    /// The form field name.
    public var field: String
    public var path: String
    /// `filename=` of the part's Content-Disposition.
    public var filename: String
    public var contentType: String

    public init(field: String, path: String, filename: String, contentType: String = "application/octet-stream") {
        self.field = field
        self.path = path
        self.filename = filename
        self.contentType = contentType
    }
}
