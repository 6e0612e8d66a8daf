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
    let metrics: ServerMetrics
    let startTime: Double
    let now: () -> Double
    /// HTTP connections open now (the frontend's count), for /metrics.
    var openConnections: () -> Int = { 0 }
    /// When each periodic timer fires next (epoch seconds), for the home page.
    var timerDueTimes: () -> [String: Double] = { [:] }
    /// Called after manager commands, which may create or delete queues.
    var onQueuesChanged: (() -> Void)?

    init(root: String, config: RootConfig, registry: QueueRegistry, managerOperations: ManagerOperations,
         operations: QueueOperations, commit: GroupCommit, logger: Logger, metrics: ServerMetrics = ServerMetrics(),
         now: @escaping () -> Double = { Date().timeIntervalSince1970 }) {
        self.root = root
        self.config = config
        self.registry = registry
        self.managerOperations = managerOperations
        self.operations = operations
        self.commit = commit
        self.logger = logger
        self.metrics = metrics
        self.now = now
        startTime = now()
    }

    /// Answers one request through `send`, now or after a loop turn (POSTs wait for the
    /// durable point). Needs no socket: tests call it directly.
    func respond(to http: HTTPRequest, peer: String, _ send: @escaping (HTTPResponse) -> Void) {
        // Uploads are temp files: whatever route took them (or refused them), they are gone
        // once answered. attach_message has linked the ones it keeps into the message.
        let uploads = http.files.map(\.path)
        var responder = UploadCleanup(send: send, uploads: uploads, metrics: metrics)
        let flash = Flash.fromCookieHeader(http.head.header("Cookie"))
        guard AllowedIPs.admits(peer: peer, allowed: config.allowedIPs) else {
            responder.routeName = "forbidden"
            responder.respond(finish(errorPage(status: 403, text: "403 Forbidden", flash: nil), http: http, consumed: nil))
            return
        }
        if let denied = BasicAuth.check(http.head, config: config) {
            responder.routeName = "unauthorized"
            responder.respond(finish(denied, http: http, consumed: nil))
            return
        }
        let segments: [String]
        do {
            segments = try RequestPath.segments(rawPath: http.head.path, relativeRoot: config.relativeRoot)
        } catch .outsideRoot {
            responder.routeName = "unmatched"
            responder.respond(finish(.text(404, "Not Found: \(http.head.path)"), http: http, consumed: nil))
            return
        } catch {
            responder.routeName = "invalid_path"
            let text = "invalid characters in request path"
            let response = Self.isBrowser(http.head) ? errorPage(status: 400, text: text, flash: nil) : .jsonError(400, text)
            responder.respond(finish(response, http: http, consumed: nil))
            return
        }
        guard let route = Route.match(method: http.head.method, segments: segments) else {
            responder.routeName = "unmatched"
            let status = ["GET", "HEAD", "POST"].contains(http.head.method) ? 404 : 405
            let wantsJSON = http.head.header("Accept")?.contains("application/json") ?? false
            let response: WebResponse = status == 405
                ? .jsonError(405, "method \(http.head.method) not allowed")
                : notFound(wantsJSON: wantsJSON, flash: flash, reason: "no such route")
            responder.respond(finish(response, http: http, consumed: flash))
            return
        }
        responder.routeName = route.name
        let routed = responder
        let target = access(root + "/" + RouterRunner.rulesFile, F_OK) == 0 ? route.divertedToRouter : route
        let request = WebRequest(http: http, route: target, flash: flash)
        let run = { [self] in
            dispatch(request) { [self] response in
                routed.respond(finish(response, http: http, consumed: flash))
            }
        }
        // Pages that show a message list its attachments' md5s: hash unknown ones in loop
        // turns first rather than inside the handler.
        if let (queue, id) = target.shownMessage {
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
        return errorPage(status: 404, text: reason, flash: flash)
    }

    func notFound(_ request: WebRequest, _ reason: String) -> WebResponse {
        notFound(wantsJSON: request.wantsJSON, flash: request.flash, reason: reason)
    }

    /// An error in the caller's format: `{"error":…}` for JSON callers, a page in the layout
    /// for browsers, and the original's plain text for everyone else (curl, scripts).
    func failure(_ request: WebRequest, _ status: Int, _ text: String) -> WebResponse {
        if request.wantsJSON { return .jsonError(status, text) }
        if Self.isBrowser(request.http.head) { return errorPage(status: status, text: text, flash: request.flash) }
        return .text(status, text)
    }

    /// Browsers ask for `text/html`; curl and scripts send `*/*` or nothing.
    static func isBrowser(_ head: HTTPRequestHead) -> Bool {
        head.header("Accept")?.contains("text/html") ?? false
    }
}

/// Answers once, counts the answer for /metrics, then deletes the request's upload temp files.
private struct UploadCleanup {
    let send: (HTTPResponse) -> Void
    let uploads: [String]
    let metrics: ServerMetrics
    var routeName = "unmatched"

    func respond(_ response: HTTPResponse) {
        metrics.httpRequest(routeClass: routeName, status: response.status)
        send(response)
        for path in uploads { unlink(path) }
    }
}
