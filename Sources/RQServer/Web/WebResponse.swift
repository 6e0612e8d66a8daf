import Foundation
import RQLoop

/// What a route handler answers, before it becomes an `HTTPResponse`. Keeps the handlers
/// free of header plumbing (content types, flash cookies, absolute redirect locations).
struct WebResponse {
    enum Body {
        case text(String, contentType: String)
        case file(fd: Int32, offset: Int64, length: Int64, contentType: String)
        case empty
    }

    var status: Int
    var body: Body
    var headers: [(String, String)] = []
    /// A flash to set for the next page (redirects) — consumed flashes are cleared by WebApp.
    var flash: Flash?

    static func html(_ status: Int = 200, _ html: String) -> WebResponse {
        WebResponse(status: status, body: .text(html, contentType: "text/html;charset=utf-8"))
    }

    static func text(_ status: Int = 200, _ text: String) -> WebResponse {
        WebResponse(status: status, body: .text(text, contentType: "text/plain;charset=utf-8"))
    }

    static func json(_ status: Int = 200, _ json: String) -> WebResponse {
        WebResponse(status: status, body: .text(json, contentType: "application/json"))
    }

    static func jsonError(_ status: Int, _ message: String) -> WebResponse {
        json(status, JSONText.object(["error": .string(message)]))
    }

    /// 303 after a POST, 302 after a GET (spec rest.md §3.1.2); `Location` made absolute by WebApp.
    static func redirect(_ path: String, flash: Flash? = nil, afterPost: Bool = true) -> WebResponse {
        WebResponse(status: afterPost ? 303 : 302, body: .empty, headers: [("Location", path)], flash: flash)
    }
}
