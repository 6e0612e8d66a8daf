import Foundation
import Logging
import RQLoop

/// The TCP side of the web interface: an `HTTPServer` whose requests go to the `WebApp`.
///
/// `RQ_HTTP_MAX_CONNECTIONS` and `RQ_HTTP_HEADER_TIMEOUT` (environment) override the
/// connection cap and the header timeout; the tests use them to provoke the cap quickly.
final class WebFrontend {
    private let server: HTTPServer

    init(loop: EventLoop, host: String, port: Int, uploadDirectory: String, app: WebApp, logger: Logger) throws {
        let environment = ProcessInfo.processInfo.environment
        var settings = HTTPServerSettings(uploadDirectory: uploadDirectory)
        if let cap = environment["RQ_HTTP_MAX_CONNECTIONS"].flatMap(Int.init), cap > 0 { settings.maxConnections = cap }
        if let timeout = environment["RQ_HTTP_HEADER_TIMEOUT"].flatMap(Double.init), timeout > 0 {
            settings.headerTimeout = timeout
        }
        server = try HTTPServer(loop: loop, host: host, port: port, settings: settings) { request, responder, peer in
            app.respond(to: request, peer: peer) { responder.respond($0) }
        }
    }

    var port: Int { server.port }
    var openConnections: Int { server.openConnections }

    func close() { server.close() }
}
