import Foundation
import Testing
@testable import RQLoop

/// Inputs a hostile or broken client may send. None may crash the session; each either gets
/// answered or leaves the session waiting for more.
private let hostileCorpus: [[UInt8]] = {
    var corpus: [[UInt8]] = [
        Array("\r\n\r\n\r\n".utf8),
        Array("GET".utf8),
        Array("GET / HTTP/9.9\r\n\r\n".utf8),
        Array("GET / HTTP/1.1\r\nNo-Colon\r\n\r\n".utf8),
        Array("GET / HTTP/1.1\r\n: empty-name\r\n\r\n".utf8),
        Array("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab".utf8),
        Array("GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n".utf8),
        Array("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".utf8),
        Array("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n".utf8),
        Array("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n".utf8),
        Array("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcdeXX".utf8),
        Array("GET /%00%01%1f%zz%%%/../.. HTTP/1.1\r\n\r\n".utf8),
        Array("GET /\u{7f}\u{ff} HTTP/1.1\r\n\r\n".utf8),
        Array("GET / HTTP/1.1\r\nHost: \u{0}\r\n\r\n".utf8),
        Array("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n".utf8),
        Array("CONNECT host:443 HTTP/1.1\r\n\r\nrandom bytes after".utf8),
        Array("GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u{81}\u{85}xx".utf8),
        Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8),
        Array("POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=\r\nContent-Length: 2\r\n\r\nab".utf8),
        Array("POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=a\r\nContent-Length: 9\r\n\r\n--a\r\n\r\n\r\n".utf8),
        Array("POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=a\r\nContent-Length: 12\r\n\r\n--a\r\nbad\r\n\r\n".utf8),
        Array("POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=a\r\nContent-Length: 8\r\n\r\n--aXYZ\r\n".utf8),
        Array("POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=\"a\r\nContent-Length: 0\r\n\r\n".utf8),
        Array("POST / HTTP/1.1\r\nContent-Type: ;;;=;\"\r\nContent-Length: 1\r\n\r\nx".utf8),
        Array("GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n".utf8),
        Array("GET / HTTP/1.1\r\nRange: bytes=--\r\n\r\n".utf8),
        Array(("GET / HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 5000) + "\r\n").utf8),
        Array(("GET /" + String(repeating: "%", count: 70_000) + " HTTP/1.1\r\n\r\n").utf8),
    ]
    corpus.append(randomBytes(4096, seed: 99))
    corpus.append(Array("POST / HTTP/1.1\r\nContent-Length: 4096\r\n\r\n".utf8) + randomBytes(4096, seed: 100))
    corpus.append(Array("POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=a\r\nContent-Length: 4096\r\n\r\n".utf8)
        + randomBytes(4096, seed: 101))
    return corpus
}()

@Test(arguments: hostileCorpus.indices)
func hostileInputNeverCrashes(_ index: Int) {
    let input = hostileCorpus[index]
    for feedByteByByte in [false, true] {
        let harness = SessionHarness(limits: HTTPLimits(maxFormBytes: 100_000))
        if feedByteByByte { harness.feedOneByteAtATime(input) } else { harness.feed(input) }
        harness.session?.peerClosed()
        #expect(harness.transport.closed, "input \(index)")
        for response in harness.transport.responses {
            #expect((100..<600).contains(response.status), "input \(index)")
        }
        #expect(harness.uploadDirectoryContents.count == harness.requests.flatMap(\.files).count, "input \(index)")
    }
}

@Test func randomGarbageAfterValidRequestsNeverCrashes() {
    for seed in UInt64(0)..<50 {
        let harness = SessionHarness()
        let valid = Array("GET / HTTP/1.1\r\n\r\n".utf8)
        feedInRandomChunks(valid + randomBytes(2000, seed: seed), to: harness, seed: seed, maxChunk: 64)
        harness.session?.peerClosed()
        #expect(harness.transport.responses.first?.status == 200)
        #expect(harness.transport.closed)
    }
}
