import Foundation
import Testing
@testable import RQLoop
#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized) struct HTTPClientTests {
    @Test func getFromTheProjectsOwnServer() throws {
        let fixture = try ClientFixture { request, responder in
            responder.respond(.text(200, "hello \(request.field("who") ?? "")"))
        }
        defer { fixture.finish() }
        let response = try #require(fixture.fetch(HTTPClientRequest(url: fixture.baseURL + "/greet?who=you"))?.value)
        #expect(response.status == 200)
        #expect(response.bodyText == "hello you")
        #expect(response.header("content-type") == "text/plain; charset=utf-8")
        let head = try #require(fixture.served.first?.request.head)
        #expect(head.method == "GET" && head.path == "/greet")
        #expect(head.header("Host") == "127.0.0.1:\(fixture.server!.port)")
    }

    @Test func postsAFormAndRawBytes() throws {
        let fixture = try ClientFixture { request, responder in
            let fields = request.fields.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
            responder.respond(.text(201, fields + "|" + String(decoding: request.body, as: UTF8.self)))
        }
        defer { fixture.finish() }
        let form = fixture.fetch(HTTPClientRequest(method: "POST", url: fixture.baseURL + "/f",
                                                   body: .form([("a b", "x&y=z"), ("é", "+%")])))?.value
        #expect(form?.status == 201)
        #expect(form?.bodyText == "a b=x&y=z,é=+%|")
        let raw = fixture.fetch(HTTPClientRequest(method: "PUT", url: fixture.baseURL + "/r",
                                                  body: .bytes(Array("{\"k\":1}".utf8), contentType: "application/json")))?.value
        #expect(raw?.bodyText == "|{\"k\":1}")
        #expect(fixture.served.last?.request.head.header("Content-Type") == "application/json")
    }

    @Test func notFoundAndServerErrorsAreResponsesNotErrors() throws {
        let fixture = try ClientFixture { _, responder in responder.respond(.jsonError(503, "busy")) }
        defer { fixture.finish() }
        let response = fixture.fetch(HTTPClientRequest(url: fixture.baseURL + "/"))?.value
        #expect(response?.status == 503)
        #expect(response?.bodyText == #"{"error":"busy"}"#)
    }

    @Test func redirectsAreReportedNotFollowed() throws {
        let fixture = try ClientFixture { _, responder in responder.respond(.redirect(302, location: "/elsewhere")) }
        defer { fixture.finish() }
        let error = fixture.fetch(HTTPClientRequest(url: fixture.baseURL + "/"))?.error
        #expect(error == .redirect(status: 302, location: "/elsewhere"))
        #expect(fixture.served.count == 1)
    }

    @Test func keepAliveReusesOneConnectionPerRemote() throws {
        let fixture = try ClientFixture()
        defer { fixture.finish() }
        for _ in 0..<3 {
            #expect(fixture.fetch(HTTPClientRequest(url: fixture.baseURL + "/"))?.value?.status == 200)
        }
        #expect(Set(fixture.served.map(\.peer)).count == 1)
        #expect(fixture.client.openConnections(to: "127.0.0.1:\(fixture.server!.port)") == 1)
    }

    @Test func concurrentRequestsStayWithinThePerRemoteCap() throws {
        var pending: [HTTPResponder] = []
        var timers: [LoopTimer] = []
        var maxOpen = 0
        var fixtureRef: ClientFixture?
        let fixture = try ClientFixture(limits: HTTPClientLimits(maxConnectionsPerRemote: 2)) { _, responder in
            pending.append(responder)
            maxOpen = max(maxOpen, fixtureRef?.server?.openConnections ?? 0)
            let timer = LoopTimer(loop: fixtureRef!.loop) { pending.removeFirst().respond(.text(200, "done")) }
            timer.schedule(after: 0.05)
            timers.append(timer)
        }
        fixtureRef = fixture
        defer { fixture.finish() }
        var results: [Result<HTTPClientResponse, HTTPClientError>] = []
        for index in 0..<6 {
            fixture.client.send(HTTPClientRequest(url: fixture.baseURL + "/\(index)"), timeout: 5) { results.append($0) }
        }
        #expect(drive(fixture.loop, seconds: 10) { results.count == 6 })
        #expect(results.allSatisfy { $0.value?.status == 200 })
        #expect(maxOpen <= 2)
        #expect(Set(fixture.served.map(\.peer)).count == 2)
        #expect(fixture.served.map(\.request.head.path) == (0..<6).map { "/\($0)" })
    }

    @Test func streamsAMultipartFileFromDisk() throws {
        let fixture = try ClientFixture { request, responder in
            let file = request.file("attachment")
            responder.respond(.text(200, "\(request.field("mesg") ?? "-") \(file?.filename ?? "-") \(file?.size ?? -1) \(file?.md5 ?? "-")"))
        }
        defer { fixture.finish() }
        let path = fixture.dir.path + "/upload.bin"
        try Data("hello multipart".utf8).write(to: URL(fileURLWithPath: path))
        let body = HTTPClientBody.multipart(fields: [("mesg", #"{"a":"b"}"#)],
                                            file: HTTPClientFilePart(field: "attachment", path: path, filename: "up \"1\".bin"))
        let response = fixture.fetch(HTTPClientRequest(method: "POST", url: fixture.baseURL + "/u", body: body))?.value
        #expect(response?.bodyText == #"{"a":"b"} up %221%22.bin 15 6ffda3764fa96f759cb699bd25b11694"#)
    }

    @Test func aMissingUploadFileIsAClearError() throws {
        let fixture = try ClientFixture()
        defer { fixture.finish() }
        let body = HTTPClientBody.multipart(fields: [], file: HTTPClientFilePart(field: "f", path: "/nonexistent/x", filename: "x"))
        let error = fixture.fetch(HTTPClientRequest(method: "POST", url: fixture.baseURL + "/", body: body))?.error
        guard case .file = error else { Issue.record("expected a file error, got \(String(describing: error))"); return }
        #expect(fixture.served.isEmpty)
    }

    @Test func invalidURLsFailWithoutConnecting() throws {
        let loop = try EventLoop()
        let client = HTTPClient(loop: loop)
        var errors: [HTTPClientError] = []
        for url in ["https://x/", "ftp://x", "http://", "http://h:0/", "http://h:99999/", "http://u@h/", "http://h/a b"] {
            client.send(HTTPClientRequest(url: url), timeout: 1) { errors.append($0.error!) }
        }
        #expect(drive(loop) { errors.count == 7 })
        #expect(errors.allSatisfy { if case .invalidURL = $0 { true } else { false } })
    }

    @Test func refusedConnectionIsAConnectError() throws {
        let loop = try EventLoop()
        let closedListener = try Listener.tcp(loop: loop, host: "127.0.0.1", port: 0) { $0.close() }
        let port = closedListener.port
        closedListener.close()
        let client = HTTPClient(loop: loop)
        var result: Result<HTTPClientResponse, HTTPClientError>?
        client.send(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"), timeout: 1) { result = $0 }
        #expect(drive(loop) { result != nil })
        guard case .connect(let text) = result?.error else { Issue.record("got \(String(describing: result))"); return }
        #expect(text.contains("refused"))
    }

    @Test func resolvesLocalhostWithoutBlocking() throws {
        let fixture = try ClientFixture()
        defer { fixture.finish() }
        let response = fixture.fetch(HTTPClientRequest(url: "http://localhost:\(fixture.server!.port)/"))
        // localhost may resolve to ::1 first where the server only listens on 127.0.0.1.
        switch response {
        case .success(let ok): #expect(ok.status == 200)
        case .failure(.connect): break
        default: Issue.record("got \(String(describing: response))")
        }
    }

    @Test func connectTimeoutWhenTheBacklogIsFull() throws {
        // A listening socket that never accepts: once its tiny backlog is full the kernel drops
        // further SYNs, so the client's connect neither succeeds nor fails.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length); return getsockname(fd, $0, &length) }
        }
        listen(fd, 0)
        let port = Int(UInt16(bigEndian: address.sin_port))
        // Non-blocking fillers: a blocking connect to a full backlog would hang the test.
        var fillers: [Int32] = []
        defer { fillers.forEach { close($0) } }
        for _ in 0..<3 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            _ = fcntl(filler, F_SETFL, fcntl(filler, F_GETFL) | O_NONBLOCK)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            fillers.append(filler)
        }
        let loop = try EventLoop()
        let client = HTTPClient(loop: loop, limits: HTTPClientLimits(connectTimeout: 0.3))
        var result: Result<HTTPClientResponse, HTTPClientError>?
        client.send(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"), timeout: 5) { result = $0 }
        #expect(drive(loop, seconds: 5) { result != nil })
        #expect(result?.error == .connectTimeout)
    }

    @Test func closeCancelsRequestsInFlight() throws {
        let fixture = try ClientFixture { _, _ in }  // never answers
        defer { fixture.finish() }
        var result: Result<HTTPClientResponse, HTTPClientError>?
        fixture.client.send(HTTPClientRequest(url: fixture.baseURL + "/"), timeout: 5) { result = $0 }
        #expect(drive(fixture.loop) { !fixture.served.isEmpty })
        fixture.client.close()
        #expect(result?.error == .cancelled)
    }
}
