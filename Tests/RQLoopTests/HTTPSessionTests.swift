import Foundation
import Testing
@testable import RQLoop
import TestSupport

// MARK: - test support shared by the HTTP*Tests files

/// In-memory transport: records what the session writes and asks for.
final class FakeTransport: HTTPTransport {
    var output: [UInt8] = []
    var paused = false
    var pauseCount = 0
    var closed = false

    func write(_ bytes: [UInt8]) {
        #expect(!closed, "write after closeAfterFlush")
        output += bytes
    }

    func writeFile(fd: Int32, offset: Int64, length: Int64) {
        var buffer = [UInt8](repeating: 0, count: Int(length))
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, Int(length), off_t(offset)) }
        output += buffer.prefix(max(0, count))
        close(fd)
    }

    func pauseReading() {
        paused = true
        pauseCount += 1
    }

    func resumeReading() { paused = false }
    func closeAfterFlush() { closed = true }

    var text: String { String(decoding: output, as: UTF8.self) }
    var responses: [ParsedResponse] { ParsedResponse.split(output) }
}

/// One response cut out of the transport's output.
struct ParsedResponse {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Splits concatenated responses using their Content-Length (absent means no body).
    static func split(_ bytes: [UInt8]) -> [ParsedResponse] {
        var result: [ParsedResponse] = []
        var rest = bytes[...]
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        while let end = rest.firstRange(of: separator) {
            let head = String(decoding: rest[..<end.lowerBound], as: UTF8.self)
            var lines = head.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst().split(separator: " ")
            var headers: [String: String] = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            let bodyStart = end.upperBound
            let bodyEnd = min(rest.endIndex, bodyStart + length)
            result.append(ParsedResponse(
                status: statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0, headers: headers, body: Array(rest[bodyStart..<bodyEnd])))
            rest = rest[bodyEnd...]
        }
        return result
    }
}

/// A session on a fake transport whose handler records requests and, unless told to defer,
/// answers `<METHOD> <path>` as text.
final class SessionHarness {
    let transport = FakeTransport()
    let directory: String
    private let scratch: TemporaryDirectory?
    var session: HTTPSession?
    var requests: [HTTPRequest] = []
    var deferred: [HTTPResponder] = []
    /// Decides per request whether to hold the responder instead of answering.
    var shouldDefer: (HTTPRequest) -> Bool = { _ in false }
    var respond: (HTTPRequest) -> HTTPResponse = { .text(200, "\($0.head.method) \($0.head.path)") }

    init(limits: HTTPLimits = HTTPLimits()) {
        scratch = try? TemporaryDirectory(prefix: "rq-http-test")
        directory = scratch?.path ?? "/nonexistent"
        session = HTTPSession(transport: transport, limits: limits, uploadDirectory: directory) { [unowned self] request, responder in
            requests.append(request)
            if shouldDefer(request) {
                deferred.append(responder)
            } else {
                responder.respond(respond(request))
            }
        }
    }


    func feed(_ text: String) { session?.feed(Array(text.utf8)) }
    func feed(_ bytes: [UInt8]) { session?.feed(bytes) }

    func feedOneByteAtATime(_ bytes: [UInt8]) {
        for byte in bytes { session?.feed([byte]) }
    }

    /// Files left in the upload directory.
    var uploadDirectoryContents: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }
}


func feedInRandomChunks(_ bytes: [UInt8], to harness: SessionHarness, seed: UInt64, maxChunk: Int) {
    var generator = SplitMix64(state: seed)
    var index = 0
    while index < bytes.count {
        let size = Int.random(in: 1...maxChunk, using: &generator)
        let end = min(bytes.count, index + size)
        harness.feed(Array(bytes[index..<end]))
        index = end
    }
}

// MARK: - session behaviour

@Test func simpleGetIsAnsweredAndConnectionStaysOpen() throws {
    let harness = SessionHarness()
    harness.feed("GET /hello/world?x=1&y=a+b HTTP/1.1\r\nHost: example\r\nUser-Agent: t\r\n\r\n")
    let responses = harness.transport.responses
    try #require(responses.count == 1)
    #expect(responses[0].status == 200)
    #expect(responses[0].bodyText == "GET /hello/world")
    #expect(responses[0].headers["content-length"] == "16")
    #expect(responses[0].headers["connection"] == nil)
    #expect(harness.transport.text.hasPrefix("HTTP/1.1 200 OK\r\n"))
    #expect(!harness.transport.closed)
    #expect(harness.session?.isIdle == true)
    let request = try #require(harness.requests.first)
    #expect(request.head.query == "x=1&y=a+b")
    #expect(request.head.target == "/hello/world?x=1&y=a+b")
    #expect(request.head.version.major == 1 && request.head.version.minor == 1)
    #expect(request.head.header("host") == "example")
    #expect(request.head.keepAlive)
    #expect(request.fields.map(\.name) == ["x", "y"])
    #expect(request.fields.map(\.value) == ["1", "a b"])
}

@Test func http10ClosesAfterResponseWithHTTP11StatusLine() throws {
    let harness = SessionHarness()
    harness.feed("GET / HTTP/1.0\r\n\r\n")
    #expect(harness.transport.text.hasPrefix("HTTP/1.1 200 OK\r\n"))
    #expect(harness.transport.responses.first?.headers["connection"] == "close")
    #expect(harness.transport.closed)
    #expect(harness.session?.activity == .closed)
}

@Test func http10KeepAliveOnRequest() {
    let harness = SessionHarness()
    harness.feed("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    #expect(harness.transport.responses.first?.headers["connection"] == "keep-alive")
    #expect(!harness.transport.closed)
    harness.feed("GET /b HTTP/1.0\r\n\r\n")
    #expect(harness.transport.responses.map(\.bodyText) == ["GET /a", "GET /b"])
    #expect(harness.transport.closed)
}

@Test func keepAliveServesTwoRequestsAndHonoursConnectionClose() {
    let harness = SessionHarness()
    harness.feed("GET /one HTTP/1.1\r\nHost: h\r\n\r\n")
    harness.feed("GET /two HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
    let responses = harness.transport.responses
    #expect(responses.map(\.bodyText) == ["GET /one", "GET /two"])
    #expect(responses.map { $0.headers["connection"] } == [nil, "close"])
    #expect(harness.transport.closed)
}

@Test func handlerAskingToCloseClosesConnection() {
    let harness = SessionHarness()
    harness.respond = { _ in HTTPResponse(status: 200, headers: [("Connection", "close")], body: .bytes(Array("bye".utf8))) }
    harness.feed("GET / HTTP/1.1\r\n\r\nGET /never HTTP/1.1\r\n\r\n")
    #expect(harness.transport.responses.count == 1)
    #expect(harness.transport.responses.first?.headers["connection"] == "close")
    #expect(harness.transport.closed)
    #expect(harness.requests.count == 1)
}

@Test func pipelinedRequestsAreAnsweredInOrderWhenFirstIsDeferred() throws {
    let harness = SessionHarness()
    harness.shouldDefer = { $0.head.path == "/1" }
    harness.feed("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n")
    #expect(harness.transport.output.isEmpty)
    #expect(harness.requests.count == 1, "the next request waits for the pending response")
    #expect(harness.transport.paused)
    #expect(harness.session?.activity == .awaitingResponse)
    let responder = try #require(harness.deferred.first)
    responder.respond(.text(200, "first"))
    #expect(harness.transport.responses.map(\.bodyText) == ["first", "GET /2", "GET /3"])
    #expect(!harness.transport.paused)
    #expect(harness.session?.isIdle == true)
    responder.respond(.text(500, "second answer is ignored"))
    #expect(harness.transport.responses.count == 3)
}

@Test func inputArrivingWhileResponsePendingIsBuffered() throws {
    let harness = SessionHarness()
    harness.shouldDefer = { $0.head.path == "/slow" }
    harness.feed("GET /slow HTTP/1.1\r\n\r\n")
    harness.feed("GET /fa")
    harness.feed("st HTTP/1.1\r\n\r\n")
    #expect(harness.requests.count == 1)
    try #require(harness.deferred.first).respond(.text(200, "slow"))
    #expect(harness.transport.responses.map(\.bodyText) == ["slow", "GET /fast"])
}

@Test func everyRequestKindWorksFedOneByteAtATime() throws {
    let harness = SessionHarness()
    let multipart = MultipartBody(boundary: "XyZ")
        .field("a", "1")
        .file("f", filename: "x.bin", Array("file content\r\n--Xy-not-really".utf8))
    var input = Array("GET /g?q=%41 HTTP/1.1\r\n\r\n".utf8)
    input += Array("POST /u HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nk=v+w&z".utf8)
    input += Array("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n".utf8)
    input += Array("POST /m HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: \(multipart.closed.count)\r\n\r\n".utf8)
    input += multipart.closed
    harness.feedOneByteAtATime(input)
    let requests = harness.requests
    try #require(requests.count == 4, "\(harness.transport.text)")
    #expect(requests[0].fields.map(\.value) == ["A"])
    #expect(requests[1].fields.map(\.name) == ["k", "z"])
    #expect(requests[1].fields.map(\.value) == ["v w", ""])
    #expect(requests[2].body == Array("abcde".utf8))
    #expect(requests[3].fields.map(\.value) == ["1"])
    let file = try #require(requests[3].files.first)
    #expect(try Data(contentsOf: URL(fileURLWithPath: file.path)) == Data("file content\r\n--Xy-not-really".utf8))
    #expect(harness.transport.responses.map(\.status) == [200, 200, 200, 200])
}

@Test func chunkedBodyWithExtensionsAndTrailers() throws {
    let harness = SessionHarness()
    harness.feed("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
        + "7;ext=1\r\n{\"a\": 1\r\n1\r\n}\r\n0\r\nX-Trailer: yes\r\n\r\n")
    let request = try #require(harness.requests.first)
    #expect(String(decoding: request.body, as: UTF8.self) == "{\"a\": 1}")
    #expect(request.head.isChunked)
    #expect(request.head.header("X-Trailer") == nil)
    #expect(harness.transport.responses.first?.status == 200)
}

@Test func expectContinueIsAnsweredBeforeTheBody() throws {
    let harness = SessionHarness()
    harness.feed("POST /p HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
    #expect(harness.transport.text == "HTTP/1.1 100 Continue\r\n\r\n")
    #expect(harness.session?.activity == .receivingBody)
    harness.feed("hello")
    #expect(harness.requests.first?.body == Array("hello".utf8))
    #expect(harness.transport.responses.map(\.status) == [100, 200])
}

@Test func expectContinueWithOversizedBodyIsRefusedAt413() {
    let harness = SessionHarness(limits: HTTPLimits(maxFormBytes: 10))
    harness.feed("POST /p HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n")
    #expect(!harness.transport.text.contains("100 Continue"))
    #expect(harness.transport.responses.first?.status == 413)
    #expect(harness.transport.closed)
    #expect(harness.requests.isEmpty)
}

@Test func unknownExpectationIs417() {
    let harness = SessionHarness()
    harness.feed("POST /p HTTP/1.1\r\nContent-Length: 1\r\nExpect: magic\r\n\r\nx")
    #expect(harness.transport.responses.first?.status == 417)
    #expect(harness.transport.closed)
}

@Test func urlencodedBodyIsDecodedAfterQueryFields() throws {
    let harness = SessionHarness()
    let body = "queue%5Bname%5D=my+q&path=%2Ftmp%2Fx%20y&euro=%E2%82%AC&empty=&bare&semi=a;b"
    harness.feed("POST /new_queue?from=query HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded; charset=UTF-8\r\n"
        + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
    let request = try #require(harness.requests.first)
    #expect(request.fields.map(\.name) == ["from", "queue[name]", "path", "euro", "empty", "bare", "semi"])
    #expect(request.fields.map(\.value) == ["query", "my q", "/tmp/x y", "€", "", "", "a;b"])
    #expect(request.field("queue[name]") == "my q")
    #expect(request.body.isEmpty)
}

@Test func headRequestGetsHeadersWithoutBody() {
    let harness = SessionHarness()
    harness.feed("HEAD /x HTTP/1.1\r\n\r\nGET /y HTTP/1.1\r\n\r\n")
    let text = harness.transport.text
    #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
    #expect(text.contains("Content-Length: 7\r\n\r\nHTTP/1.1 200 OK"))
    #expect(text.hasSuffix("\r\n\r\nGET /y"))
}

@Test func fileBodiesAreStreamedThroughTheTransport() throws {
    let harness = SessionHarness()
    let path = harness.directory + "/served.txt"
    try Data("0123456789".utf8).write(to: URL(fileURLWithPath: path))
    harness.respond = { _ in
        HTTPResponse(status: 206, headers: [("Content-Range", "bytes 2-5/10")], body: .file(fd: open(path, O_RDONLY), offset: 2, length: 4))
    }
    harness.feed("GET /f HTTP/1.1\r\n\r\n")
    let response = try #require(harness.transport.responses.first)
    #expect(response.status == 206)
    #expect(response.bodyText == "2345")
    #expect(response.headers["content-range"] == "bytes 2-5/10")
    #expect(harness.transport.text.hasPrefix("HTTP/1.1 206 Partial Content\r\n"))
}

@Test func headerInjectionInResponseHeadersIsNeutralised() {
    let harness = SessionHarness()
    harness.respond = { _ in HTTPResponse(status: 303, headers: [("Location", "/x\r\nSet-Cookie: evil=1")]) }
    harness.feed("GET / HTTP/1.1\r\n\r\n")
    #expect(!harness.transport.text.contains("\r\nSet-Cookie"))
    #expect(harness.transport.responses.first?.headers["location"] == "/x Set-Cookie: evil=1")
}

@Test func percentEncodedControlCharactersInPathReachTheHandler() throws {
    let harness = SessionHarness()
    harness.feed("GET /q/a%00b/%0a%1F HTTP/1.1\r\n\r\n")
    let request = try #require(harness.requests.first)
    #expect(request.head.path == "/q/a%00b/%0a%1F")
    #expect(FormDecoding.percentDecode(request.head.path) == "/q/a\u{0}b/\n\u{1F}")
}

@Test func absoluteFormTargetIsSplit() throws {
    let harness = SessionHarness()
    harness.feed("GET http://host:3333/q/x.json?limit=3 HTTP/1.1\r\n\r\n")
    let request = try #require(harness.requests.first)
    #expect(request.head.path == "/q/x.json")
    #expect(request.head.query == "limit=3")
}

@Test func peerClosingAfterPipelinedRequestsStillGetsAnswers() throws {
    let harness = SessionHarness()
    harness.shouldDefer = { $0.head.path == "/1" }
    harness.feed("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HT")
    harness.session?.peerClosed()
    #expect(!harness.transport.closed)
    try #require(harness.deferred.first).respond(.text(200, "one"))
    #expect(harness.transport.responses.map(\.bodyText) == ["one", "GET /2"])
    #expect(harness.transport.closed)
}

@Test func respondingAfterTheSessionIsGoneIsHarmless() throws {
    var harness: SessionHarness? = SessionHarness()
    harness?.shouldDefer = { _ in true }
    harness?.feed("GET / HTTP/1.1\r\n\r\n")
    let responder = try #require(harness?.deferred.first)
    let transport = try #require(harness?.transport)
    harness = nil
    responder.respond(.text(200, "late"))
    #expect(transport.output.isEmpty)
}

@Test func activityTracksTheRequestPhases() {
    let harness = SessionHarness()
    #expect(harness.session?.activity == .idle)
    harness.feed("POST /x HTTP/1.1\r\nHost")
    #expect(harness.session?.activity == .receivingHead)
    #expect(harness.session?.isIdle == false)
    harness.feed(": h\r\nContent-Length: 4\r\n\r\nab")
    #expect(harness.session?.activity == .receivingBody)
    harness.feed("cd")
    #expect(harness.session?.activity == .idle)
}

@Test func onResponseSentFiresAfterEachAnswerOnceReadingResumes() throws {
    let harness = SessionHarness()
    harness.shouldDefer = { _ in true }
    var idleWhenSent: [Bool] = []
    harness.session?.onResponseSent = { [unowned harness] in
        idleWhenSent.append(harness.session?.isIdle ?? false)
    }
    harness.feed("POST /a HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
    #expect(idleWhenSent.isEmpty)
    try #require(harness.deferred.first).respond(.text(200, "a"))
    // The frontend switches to its idle timeout here: nothing of a next request has arrived.
    #expect(idleWhenSent == [true])
    harness.feed("GET /b HTTP/1.1\r\n")
    #expect(harness.session?.isIdle == false)
}
