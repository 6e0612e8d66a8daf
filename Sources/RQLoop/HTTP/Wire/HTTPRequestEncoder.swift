/// A request as bytes to send: the head, then body pieces in order. A file piece is sent
/// from disk by the transport (sendfile), so a multi-gigabyte upload costs no memory.
struct EncodedRequest {
    enum Piece: Equatable {
        case bytes([UInt8])
        /// The whole file at `path`, which had `size` bytes when the request was encoded.
        case file(path: String, size: Int64)
    }

    var head: [UInt8]
    var body: [Piece]

    var bodyLength: Int64 {
        body.reduce(0) { total, piece in
            switch piece {
            case .bytes(let bytes): total + Int64(bytes.count)
            case .file(_, let size): total + size
            }
        }
    }
}

/// Serialises client requests: HTTP/1.1 with `Host`, a `Content-Length` computed up front
/// (never chunked, which some servers refuse for uploads), and multipart framing around text
/// fields and one file part.
enum HTTPRequestEncoder {
    /// Headers the encoder sets itself.
    private static let reserved: Set<String> = ["host", "content-length", "transfer-encoding", "connection"]

    /// - Parameter fileSize: the size of the multipart file part, measured by the caller.
    static func encode(method: String, target: String, hostHeader: String, headers: [(String, String)],
                       body: HTTPClientBody, boundary: String, fileSize: Int64) -> EncodedRequest {
        var contentType: String?
        var pieces: [EncodedRequest.Piece] = []
        switch body {
        case .none:
            break
        case .bytes(let bytes, let type):
            contentType = type
            pieces = [.bytes(bytes)]
        case .form(let pairs):
            contentType = "application/x-www-form-urlencoded"
            pieces = [.bytes(Array(FormEncoding.encode(pairs).utf8))]
        case .multipart(let fields, let file):
            contentType = "multipart/form-data; boundary=\(boundary)"
            pieces = multipart(fields: fields, file: file, boundary: boundary, fileSize: fileSize)
        }
        let request = EncodedRequest(head: [], body: pieces)
        var text = "\(HTTPResponseEncoder.sanitized(method)) \(HTTPResponseEncoder.sanitized(target)) HTTP/1.1\r\n"
        text += "Host: \(HTTPResponseEncoder.sanitized(hostHeader))\r\n"
        var hasContentType = false
        for (name, value) in headers where !reserved.contains(name.lowercased()) {
            if name.lowercased() == "content-type" { hasContentType = true }
            text += "\(HTTPResponseEncoder.sanitized(name)): \(HTTPResponseEncoder.sanitized(value))\r\n"
        }
        if let contentType, !hasContentType { text += "Content-Type: \(contentType)\r\n" }
        let length = request.bodyLength
        if length > 0 || !["GET", "HEAD", "DELETE", "OPTIONS"].contains(method.uppercased()) {
            text += "Content-Length: \(length)\r\n"
        }
        text += "\r\n"
        return EncodedRequest(head: Array(text.utf8), body: pieces)
    }

    private static func multipart(fields: [(String, String)], file: HTTPClientFilePart?,
                                  boundary: String, fileSize: Int64) -> [EncodedRequest.Piece] {
        var text = ""
        for (name, value) in fields {
            text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(quoted(name))\"\r\n\r\n\(value)\r\n"
        }
        guard let file else {
            text += "--\(boundary)--\r\n"
            return [.bytes(Array(text.utf8))]
        }
        text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(quoted(file.field))\"; "
            + "filename=\"\(quoted(file.filename))\"\r\nContent-Type: \(HTTPResponseEncoder.sanitized(file.contentType))\r\n\r\n"
        return [.bytes(Array(text.utf8)), .file(path: file.path, size: fileSize),
                .bytes(Array("\r\n--\(boundary)--\r\n".utf8))]
    }

    /// A name inside a quoted Content-Disposition parameter, escaped as browsers do
    /// (WHATWG multipart/form-data: `"` → %22, CR → %0D, LF → %0A).
    private static func quoted(_ text: String) -> String {
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "\"": out += "%22"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
