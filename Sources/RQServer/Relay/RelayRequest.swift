/// One HTTP POST of the relay conversation, independent of the client that sends it.
struct RelayRequest: Equatable, Sendable {
    struct Field: Equatable, Sendable {
        let name: String
        let value: String
    }

    /// The multipart file part, streamed from `path` (attachments may be GiBs).
    struct FilePart: Equatable, Sendable {
        let fieldName: String
        let filename: String
        let path: String
    }

    enum Body: Equatable, Sendable {
        /// `application/x-www-form-urlencoded`
        case form([Field])
        /// `multipart/form-data`: the fields, then the file.
        case multipart([Field], FilePart)
    }

    let url: String
    let body: Body
}

/// An attachment of the relay message, with the md5 the remote must echo back.
struct RelayAttachment: Equatable, Sendable {
    let name: String
    let path: String
    let md5: String
}

/// What came back for a request, as the conversation needs to know it.
enum RelayReply: Equatable, Sendable {
    /// A complete HTTP response.
    case response(status: Int, body: String)
    /// No response (refused, reset, timed out): the remote may be back later.
    case unreachable(String)
    /// A response no retry will improve: a redirect (never followed), a body over the size
    /// limit, bytes that are not HTTP.
    case unusable(String)
}
