import Foundation
import Testing
@testable import RQLoop

/// The client against peers that answer in every legal framing and in broken ways.
@Suite(.serialized) struct HTTPClientPeerTests {
    /// Runs one request against a peer that answers each complete request head with `script`.
    private func exchange(limits: HTTPClientLimits = HTTPClientLimits(), timeout: Double = 2, method: String = "GET",
                          script: @escaping (ScriptedPeer, Connection) -> Void)
        throws -> (result: Result<HTTPClientResponse, HTTPClientError>?, peer: ScriptedPeer) {
        let loop = try EventLoop()
        let peer = try ScriptedPeer(loop: loop) { peer, connection in
            guard peer.hasHead else { return }
            script(peer, connection)
        }
        defer { peer.close() }
        let client = HTTPClient(loop: loop, limits: limits)
        defer { client.close() }
        var result: Result<HTTPClientResponse, HTTPClientError>?
        client.send(HTTPClientRequest(method: method, url: peer.url), timeout: timeout) { result = $0 }
        drive(loop, seconds: 10) { result != nil }
        return (result, peer)
    }

    @Test func chunkedResponse() throws {
        let (result, _) = try exchange { _, connection in
            connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n")
        }
        #expect(result?.value?.bodyText == "hello world")
    }

    @Test func bodyDelimitedByTheEndOfTheConnection() throws {
        let (result, _) = try exchange { _, connection in
            connection.write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end")
            connection.closeAfterFlush()
        }
        #expect(result?.value?.bodyText == "until the end")
    }

    @Test func interimResponsesAreSkipped() throws {
        let (result, _) = try exchange { _, connection in
            connection.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")
        }
        #expect(result?.value?.status == 204)
    }

    @Test func headResponseHasNoBodyDespiteItsLength() throws {
        let (result, _) = try exchange(method: "HEAD") { _, connection in
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        }
        #expect(result?.value?.status == 200)
        #expect(result?.value?.body.isEmpty == true)
    }

    @Test func truncatedBodyIsConnectionClosed() throws {
        let (result, _) = try exchange { _, connection in
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this")
            connection.closeAfterFlush()
        }
        #expect(result?.error == .connectionClosed("response cut short after 9 body bytes"))
    }

    @Test func truncatedChunkedBodyIsConnectionClosed() throws {
        let (result, _) = try exchange { _, connection in
            connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc")
            connection.closeAfterFlush()
        }
        guard case .connectionClosed = result?.error else { Issue.record("got \(String(describing: result))"); return }
    }

    @Test func closingWithoutAnAnswerIsConnectionClosed() throws {
        let (result, _) = try exchange { _, connection in connection.closeAfterFlush() }
        #expect(result?.error == .connectionClosed("no response"))
    }

    @Test func bytesBeyondTheContentLengthAreNotTakenAsBodyAndTheConnectionIsDropped() throws {
        let loop = try EventLoop()
        let peer = try ScriptedPeer(loop: loop) { peer, connection in
            guard peer.hasHead else { return }
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcEXTRA")
        }
        defer { peer.close() }
        let client = HTTPClient(loop: loop)
        defer { client.close() }
        var result: Result<HTTPClientResponse, HTTPClientError>?
        client.send(HTTPClientRequest(url: peer.url), timeout: 2) { result = $0 }
        #expect(drive(loop) { result != nil })
        #expect(result?.value?.bodyText == "abc")
        // Not reused: the stray bytes would be read as the next response.
        #expect(client.openConnections(to: "127.0.0.1:\(peer.listener.port)") == 0)
    }

    @Test func aPeerThatNeverAnswersTimesOut() throws {
        let started = Date()
        let (result, peer) = try exchange(timeout: 0.3) { _, _ in }
        #expect(result?.error == .timeout)
        #expect(peer.hasHead)
        #expect(Date().timeIntervalSince(started) < 3)
    }

    @Test func aSlowPeerHitsTheResponseDeadline() throws {
        var trickle: LoopTimer?
        let (result, _) = try exchange(timeout: 0.5) { _, connection in
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
            // One byte every 0.05 s: always some progress, never done in time.
            trickle = LoopTimer(loop: connection.loop) {
                connection.write("x")
                trickle?.schedule(after: 0.05)
            }
            trickle?.schedule(after: 0.05)
        }
        trickle?.close()
        #expect(result?.error == .timeout)
    }

    @Test func anOversizedResponseIsAClearError() throws {
        let (result, _) = try exchange(limits: HTTPClientLimits(maxResponseBytes: 1024)) { _, connection in
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n" + String(repeating: "z", count: 4096))
        }
        #expect(result?.error == .responseTooLarge(1024))
    }

    @Test func anOversizedChunkedResponseIsAClearError() throws {
        let chunk = String(repeating: "z", count: 600)
        let (result, _) = try exchange(limits: HTTPClientLimits(maxResponseBytes: 1024)) { _, connection in
            connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n0\r\n\r\n")
        }
        #expect(result?.error == .responseTooLarge(1024))
    }

    @Test func garbageIsAMalformedResponse() throws {
        let (result, _) = try exchange { _, connection in connection.write("SMTP ready\r\n\r\n") }
        guard case .malformedResponse = result?.error else { Issue.record("got \(String(describing: result))"); return }
    }

    @Test func anEndlessHeaderBlockIsAMalformedResponse() throws {
        let (result, _) = try exchange(limits: HTTPClientLimits(maxHeaderBytes: 1024)) { _, connection in
            connection.write("HTTP/1.1 200 OK\r\n" + String(repeating: "X-Filler: 0123456789\r\n", count: 100))
        }
        #expect(result?.error == .malformedResponse("response header too large"))
    }

    @Test func aConnectionClosedByTheServerWhileIdleIsNotReused() throws {
        var served = 0
        let loop = try EventLoop()
        let peer = try ScriptedPeer(loop: loop) { peer, connection in
            guard peer.receivedText.components(separatedBy: "\r\n\r\n").count - 1 > served else { return }
            served += 1
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            connection.closeAfterFlush()  // keep-alive announced, but the server closes anyway
        }
        defer { peer.close() }
        let client = HTTPClient(loop: loop)
        defer { client.close() }
        var results: [Result<HTTPClientResponse, HTTPClientError>] = []
        client.send(HTTPClientRequest(url: peer.url), timeout: 2) { results.append($0) }
        #expect(drive(loop) { results.count == 1 })
        _ = drive(loop, seconds: 0.2) { false }  // the FIN arrives: the pooled connection goes
        client.send(HTTPClientRequest(url: peer.url), timeout: 2) { results.append($0) }
        #expect(drive(loop) { results.count == 2 })
        #expect(results.allSatisfy { $0.value?.bodyText == "ok" })
        #expect(peer.accepted == 2)
    }
}
