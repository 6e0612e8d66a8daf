import Foundation
import Logging
import RQLoop
import RQStore

/// The HTTP interface: authentication, path safety, routing, and turning handler answers into
/// responses. Handlers live in the `WebApp+…` files, one concern each.
final class WebApp {
    let root: String
    let config: RootConfig
    let registry: QueueRegistry
    let managerOperations: ManagerOperations
    let operations: QueueOperations
    let commit: GroupCommit
    let logger: Logger
    /// Called after manager commands, which may create or delete queues.
    var onQueuesChanged: (() -> Void)?

    init(root: String, config: RootConfig, registry: QueueRegistry, managerOperations: ManagerOperations,
         operations: QueueOperations, commit: GroupCommit, logger: Logger) {
        self.root = root
        self.config = config
        self.registry = registry
        self.managerOperations = managerOperations
        self.operations = operations
        self.commit = commit
        self.logger = logger
    }

    /// Answers one request through `send`, now or after a loop turn (POSTs wait for the
    /// durable point). Needs no socket: tests call it directly.
    func respond(to http: HTTPRequest, peer: String, _ send: @escaping (HTTPResponse) -> Void) {
        // Uploads are temp files: whatever route took them (or refused them), they are gone
        // once answered. attach_message has linked the ones it keeps into the message.
        let uploads = http.files.map(\.path)
        let responder = UploadCleanup(send: send, uploads: uploads)
        let flash = Flash.fromCookieHeader(http.head.header("Cookie"))
        guard AllowedIPs.admits(peer: peer, allowed: config.allowedIPs) else {
            responder.respond(finish(.html(403, HTML.page(title: "Forbidden", env: config.env, flash: nil,
                                                          body: "<h2>403 Forbidden</h2>")), http: http, consumed: nil))
            return
        }
        if let denied = BasicAuth.check(http.head, config: config) {
            responder.respond(finish(denied, http: http, consumed: nil))
            return
        }
        let segments: [String]
        do {
            segments = try RequestPath.segments(rawPath: http.head.path, relativeRoot: config.relativeRoot)
        } catch .outsideRoot {
            responder.respond(finish(.text(404, "Not Found: \(http.head.path)"), http: http, consumed: nil))
            return
        } catch {
            responder.respond(finish(.jsonError(400, "invalid characters in request path"), http: http, consumed: nil))
            return
        }
        guard let route = Route.match(method: http.head.method, segments: segments) else {
            let status = ["GET", "HEAD", "POST"].contains(http.head.method) ? 404 : 405
            let wantsJSON = http.head.header("Accept")?.contains("application/json") ?? false
            let response: WebResponse = status == 405
                ? .jsonError(405, "method \(http.head.method) not allowed")
                : notFound(wantsJSON: wantsJSON, flash: flash, reason: "no such route")
            responder.respond(finish(response, http: http, consumed: flash))
            return
        }
        let routed = access(root + "/" + RouterRunner.rulesFile, F_OK) == 0 ? route.divertedToRouter : route
        let request = WebRequest(http: http, route: routed, flash: flash)
        let run = { [self] in
            dispatch(request) { [self] response in
                responder.respond(finish(response, http: http, consumed: flash))
            }
        }
        // Pages that show a message list its attachments' md5s: hash unknown ones in loop
        // turns first rather than inside the handler.
        if let (queue, id) = route.shownMessage {
            operations.warmDigests(queue, id, then: run)
        } else {
            run()
        }
    }

    /// Adds what every response needs: absolute redirect, flash cookie set or cleared.
    private func finish(_ response: WebResponse, http: HTTPRequest, consumed: Flash?) -> HTTPResponse {
        var out = response.http
        if let index = out.headers.firstIndex(where: { $0.0 == "Location" }) {
            out.headers[index].1 = absoluteURL(out.headers[index].1, head: http.head)
        }
        if let flash = response.flash {
            out.headers.append(("Set-Cookie", flash.setCookieHeader))
        } else if consumed != nil {
            out.headers.append(("Set-Cookie", Flash.clearCookieHeader))
        }
        out.headers.append(("X-Content-Type-Options", "nosniff"))
        return out
    }

    /// `http://<Host>` + the relative root + `path`.
    private func absoluteURL(_ path: String, head: HTTPRequestHead) -> String {
        if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
        let host = head.header("Host") ?? "\(config.host):\(config.port)"
        let rooted = path.hasPrefix(config.relativeRoot) ? path : config.relativeRoot + path.drop(while: { $0 == "/" })
        return "http://\(host)\(rooted)"
    }

    /// Every 404 is the Not Found page inside the layout (spec rest.md §3.1.4), or JSON.
    func notFound(wantsJSON: Bool, flash: Flash?, reason: String) -> WebResponse {
        if wantsJSON { return .jsonError(404, reason) }
        return .html(404, HTML.page(title: "Not Found", env: config.env, flash: flash,
                                    body: "<h2>Not Found</h2>\n<p>\(HTML.escape(reason))</p>"))
    }

    func notFound(_ request: WebRequest, _ reason: String) -> WebResponse {
        notFound(wantsJSON: request.wantsJSON, flash: request.flash, reason: reason)
    }

    /// A plain error in the caller's format (text for HTML callers, `{"error":…}` for JSON).
    func failure(_ request: WebRequest, _ status: Int, _ text: String) -> WebResponse {
        request.wantsJSON ? .jsonError(status, text) : .text(status, text)
    }
}

/// Answers once, then deletes the request's upload temp files.
private struct UploadCleanup {
    let send: (HTTPResponse) -> Void
    let uploads: [String]

    func respond(_ response: HTTPResponse) {
        send(response)
        for path in uploads { unlink(path) }
    }
}
