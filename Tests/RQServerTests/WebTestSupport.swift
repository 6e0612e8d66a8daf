import Foundation
import Logging
@testable import RQLoop
@testable import RQServer
import RQStore

/// The web app in-process, as Hummingbird's `app.test(.router)` does: requests go straight
/// to `WebApp.respond` — no listener, no socket — over a real installed root.
final class WebTestClient {
    let fixture: CommandFixture
    let loop: EventLoop
    let commit: GroupCommit
    let app: WebApp

    init(_ fixture: CommandFixture? = nil) throws {
        let fixture = try fixture ?? CommandFixture()
        self.fixture = fixture
        loop = try EventLoop()
        let logger = Logger(label: "web-test")
        commit = try GroupCommit(loop: loop, durability: fixture.durability, logger: logger)
        app = WebApp(root: fixture.root, config: fixture.registry.rootConfig, registry: fixture.registry,
                     managerOperations: fixture.managerOperations, operations: fixture.operations, commit: commit, logger: logger)
    }

    /// One request; `fields` are the query/form fields the HTTP layer would have decoded.
    func request(_ method: String, _ target: String, fields: [(String, String)] = [],
                 headers: [(String, String)] = [], files: [UploadedFile] = []) -> WebTestResponse {
        let head = HTTPRequestHead(method: method, target: target, version: (1, 1),
                                   headers: [("Host", "127.0.0.1:3333")] + headers.map { (name: $0.0, value: $0.1) }, keepAlive: true)
        let http = HTTPRequest(head: head, fields: fields.map { (name: $0.0, value: $0.1) }, files: files, body: [])
        var answer: HTTPResponse?
        app.respond(to: http, peer: "127.0.0.1:40000") { answer = $0 }
        // What the loop does at the end of the iteration: answers waiting for the durable
        // point go out.
        if answer == nil { commit.flushAndWait() }
        return WebTestResponse(answer ?? HTTPResponse(status: 0))
    }

    func get(_ target: String, fields: [(String, String)] = [], headers: [(String, String)] = []) -> WebTestResponse {
        request("GET", target, fields: fields, headers: headers)
    }

    func post(_ target: String, _ fields: [(String, String)], headers: [(String, String)] = []) -> WebTestResponse {
        request("POST", target, fields: fields, headers: headers)
    }
}

/// A response with its body read (file bodies too).
struct WebTestResponse {
    let status: Int
    let headers: [(String, String)]
    let body: String

    init(_ response: HTTPResponse) {
        status = response.status
        headers = response.headers
        switch response.body {
        case .bytes(let bytes): body = String(decoding: bytes, as: UTF8.self)
        case .empty: body = ""
        case .file(let fd, let offset, let length):
            var bytes = [UInt8](repeating: 0, count: Int(length))
            let read = pread(fd, &bytes, bytes.count, off_t(offset))
            close(fd)
            body = String(decoding: bytes.prefix(max(0, read)), as: UTF8.self)
        }
    }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}
