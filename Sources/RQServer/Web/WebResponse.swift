import RQLoop

/// What a route handler answers: an `HTTPResponse` plus the flash to show on the next page.
/// WebApp adds absolute redirect locations and the flash cookie.
struct WebResponse {
    var http: HTTPResponse
    var flash: Flash?

    var status: Int { http.status }

    static func html(_ status: Int, _ html: String) -> WebResponse { WebResponse(http: .html(status, html)) }
    static func text(_ status: Int, _ text: String) -> WebResponse { WebResponse(http: .text(status, text)) }
    static func json(_ status: Int, _ json: String) -> WebResponse { WebResponse(http: .json(status, json)) }
    static func html(_ html: String) -> WebResponse { .html(200, html) }
    static func text(_ text: String) -> WebResponse { .text(200, text) }
    static func json(_ json: String) -> WebResponse { .json(200, json) }
    static func jsonError(_ status: Int, _ message: String) -> WebResponse { WebResponse(http: .jsonError(status, message)) }

    /// 303 after a POST, 302 after a GET (spec rest.md §3.1.2).
    static func redirect(_ path: String, flash: Flash? = nil, afterPost: Bool = true) -> WebResponse {
        WebResponse(http: .redirect(afterPost ? 303 : 302, location: path), flash: flash)
    }

    static func file(status: Int, fd: Int32, offset: Int64, length: Int64, contentType: String, headers: [(String, String)]) -> WebResponse {
        WebResponse(http: HTTPResponse(status: status, headers: [("Content-Type", contentType)] + headers,
                                       body: .file(fd: fd, offset: offset, length: length)))
    }

    func with(headers extra: [(String, String)]) -> WebResponse {
        var copy = self
        copy.http.headers += extra
        return copy
    }
}
