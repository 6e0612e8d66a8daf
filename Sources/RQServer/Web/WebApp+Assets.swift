import RQLoop
import RQStore

/// The stylesheet, scripts, icon and OpenAPI document, compiled into the binary
/// (`Web/Assets`): the UI works offline and with no files beside the server.
extension WebApp {
    static let assets: [String: (contentType: String, bytes: [UInt8])] = [
        "css/rq.css": ("text/css; charset=utf-8", PackageResources.rq_css),
        "js/main.js": ("text/javascript; charset=utf-8", PackageResources.main_js),
        "js/ansi_up.js": ("text/javascript; charset=utf-8", PackageResources.ansi_up_js),
        "favicon.ico": ("image/x-icon", PackageResources.favicon_ico),
        "openapi.json": ("application/json", PackageResources.openapi_json),
    ]

    func asset(_ r: WebRequest, _ name: String) -> WebResponse {
        guard let asset = Self.assets[name] else { return notFound(r, "404 - no such file") }
        // Revalidated each time (cheap, loopback) so an upgraded server's assets are used at once.
        return WebResponse(http: HTTPResponse(status: 200, headers: [("Content-Type", asset.contentType), ("Cache-Control", "no-cache")],
                                              body: .bytes(asset.bytes)))
    }

    /// `GET /metrics`, Prometheus text format 0.0.4.
    func metricsPage() -> WebResponse {
        WebResponse(http: HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                                       body: .bytes(Array(metrics.exposition(queues: snapshots(), openConnections: openConnections()).utf8))))
    }
}
