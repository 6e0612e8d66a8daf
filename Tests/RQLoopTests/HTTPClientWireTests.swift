import Testing
@testable import RQLoop

@Suite struct HTTPClientURLTests {
    @Test func splitsHostPortAndTarget() throws {
        let url = try #require(HTTPClientURL("http://example.org:8080/q/a?x=1#frag"))
        #expect(url == HTTPClientURL(host: "example.org", port: 8080, target: "/q/a?x=1"))
        #expect(url.remote == "example.org:8080")
        #expect(url.hostHeader == "example.org:8080")
    }

    @Test func defaultsPortAndPath() throws {
        let url = try #require(HTTPClientURL("HTTP://h?q"))
        #expect(url == HTTPClientURL(host: "h", port: 80, target: "/?q"))
        #expect(url.hostHeader == "h")
    }

    @Test func bracketsIPv6() throws {
        let url = try #require(HTTPClientURL("http://[::1]:3333/"))
        #expect(url.host == "::1" && url.port == 3333)
        #expect(url.remote == "[::1]:3333" && url.hostHeader == "[::1]:3333")
    }

    @Test func rejectsWhatCannotBeARequestLine() {
        for text in ["https://h/", "http://", "http://:80/", "http://h:0", "http://h:65536", "http://h:x/",
                     "http://user:pw@h/", "http://h/a b", "http://h/\r\nX: y", "http://[::1/"] {
            #expect(HTTPClientURL(text) == nil, "\(text)")
        }
    }
}

extension HTTPClientURL {
    init(host: String, port: Int, target: String) {
        self.init("http://x")!
        self.host = host
        self.port = port
        self.target = target
    }
}

@Suite struct HTTPRequestEncoderTests {
    private func text(_ request: EncodedRequest) -> String {
        String(decoding: request.head, as: UTF8.self)
    }

    @Test func getHasNoContentLengthAndDropsReservedHeaders() {
        let request = HTTPRequestEncoder.encode(
            method: "GET", target: "/a?b", hostHeader: "h:1",
            headers: [("X-Id", "7"), ("Content-Length", "99"), ("Host", "evil"), ("Connection", "close"), ("X-Bad", "a\r\nInjected: 1")],
            body: .none, boundary: "B", fileSize: 0)
        #expect(text(request) == "GET /a?b HTTP/1.1\r\nHost: h:1\r\nX-Id: 7\r\nX-Bad: a Injected: 1\r\n\r\n")
        #expect(request.body.isEmpty)
    }

    @Test func postWithoutBodySaysZero() {
        let request = HTTPRequestEncoder.encode(method: "POST", target: "/", hostHeader: "h", headers: [],
                                                body: .none, boundary: "B", fileSize: 0)
        #expect(text(request).hasSuffix("Content-Length: 0\r\n\r\n"))
    }

    @Test func formIsURLEncodedLikeABrowser() {
        let request = HTTPRequestEncoder.encode(method: "POST", target: "/", hostHeader: "h", headers: [],
                                                body: .form([("mesg", #"{"a": "b/c"}"#), ("x", "é~")]), boundary: "B", fileSize: 0)
        let body = "mesg=%7B%22a%22%3A+%22b%2Fc%22%7D&x=%C3%A9~"
        #expect(request.body == [.bytes(Array(body.utf8))])
        #expect(text(request).contains("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n"))
        #expect(FormDecoding.urlDecode("%7B%22a%22%3A+%22b%2Fc%22%7D") == #"{"a": "b/c"}"#)
    }

    @Test func multipartFramesFieldsAndStreamsTheFile() {
        let file = HTTPClientFilePart(field: "file", path: "/data/a.bin", filename: "a\"b.bin")
        let request = HTTPRequestEncoder.encode(method: "POST", target: "/u", hostHeader: "h", headers: [],
                                                body: .multipart(fields: [("mesg", "{}")], file: file), boundary: "BND", fileSize: 1 << 30)
        let preamble = "--BND\r\nContent-Disposition: form-data; name=\"mesg\"\r\n\r\n{}\r\n"
            + "--BND\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b.bin\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n"
        let epilogue = "\r\n--BND--\r\n"
        #expect(request.body == [.bytes(Array(preamble.utf8)), .file(path: "/data/a.bin", size: 1 << 30), .bytes(Array(epilogue.utf8))])
        #expect(request.bodyLength == Int64(preamble.utf8.count + epilogue.utf8.count) + (1 << 30))
        #expect(text(request).contains("Content-Type: multipart/form-data; boundary=BND\r\nContent-Length: \(request.bodyLength)\r\n"))
    }

    @Test func aCallersContentTypeWins() {
        let request = HTTPRequestEncoder.encode(method: "PUT", target: "/", hostHeader: "h", headers: [("content-type", "text/csv")],
                                                body: .bytes([1, 2], contentType: "application/octet-stream"), boundary: "B", fileSize: 0)
        #expect(text(request) == "PUT / HTTP/1.1\r\nHost: h\r\ncontent-type: text/csv\r\nContent-Length: 2\r\n\r\n")
    }
}

/// The response side of the shared parser, fed in every chunking.
@Suite struct HTTPResponseParsingTests {
    final class Collector: HTTPParserDelegate {
        var heads: [HTTPParsedHead] = []
        var body: [UInt8] = []
        func headReceived(_ head: HTTPParsedHead) throws -> HTTPParser.BodyExpectation {
            heads.append(head)
            return .asDeclared
        }
        func bodyReceived(_ bytes: UnsafeRawBufferPointer) throws { body += bytes }
    }

    /// Feeds `text` in pieces of `step` bytes; returns the collector and how many messages completed.
    private func parse(_ text: String, step: Int, atEOF: Bool = false) -> (Collector, Int, HTTPError?) {
        let collector = Collector()
        let parser = HTTPParser(kind: .response, maxHeaderBytes: 4096, maxHeaderCount: 20)
        parser.delegate = collector
        let bytes = Array(text.utf8)
        var completed = 0
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + step)
            var piece = offset
            while piece < end {
                let (consumed, outcome) = bytes.withUnsafeBytes { parser.execute(UnsafeRawBufferPointer(rebasing: $0[piece..<end])) }
                piece += consumed
                switch outcome {
                case .needMore: break
                case .messageComplete: completed += 1
                case .failed(let error): return (collector, completed, error)
                }
            }
            offset = end
        }
        if atEOF {
            switch parser.finish() {
            case .messageComplete: completed += 1
            case .failed(let error): return (collector, completed, error)
            case .needMore: break
            }
        }
        return (collector, completed, nil)
    }

    @Test func contentLengthChunkedAndEOFBodiesInAnyChunking() {
        for step in [1, 2, 7, 1000] {
            let (fixed, fixedCount, _) = parse("HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello", step: step)
            #expect(fixedCount == 1 && fixed.body == Array("hello".utf8) && fixed.heads.first?.status == 201)
            #expect(fixed.heads.first?.keepAlive == true)
            let (chunked, chunkedCount, _) = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", step: step)
            #expect(chunkedCount == 1 && chunked.body == Array("abc".utf8))
            let (open, openCount, openError) = parse("HTTP/1.1 200 OK\r\n\r\nto the end", step: step, atEOF: true)
            #expect(openError == nil && openCount == 1 && open.body == Array("to the end".utf8))
            #expect(open.heads.first?.keepAlive == false)
        }
    }

    @Test func endOfStreamInsideADeclaredBodyIsAnError() {
        let (_, count, error) = parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc", step: 100, atEOF: true)
        #expect(count == 0 && error != nil)
    }

    @Test func connectionCloseAndHTTP10AreNotKeptAlive() {
        let (closing, _, _) = parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", step: 100)
        #expect(closing.heads.first?.keepAlive == false)
        let (old, _, _) = parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", step: 100)
        #expect(old.heads.first?.keepAlive == false)
    }
}
