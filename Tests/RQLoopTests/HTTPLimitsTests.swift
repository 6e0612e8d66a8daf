import Foundation
import Testing
@testable import RQLoop

/// The session's own error replies: JSON `{"error": …}` and a closed connection.
private func expectJSONError(_ harness: SessionHarness, status: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    let responses = harness.transport.responses
    #expect(responses.count == 1, sourceLocation: sourceLocation)
    guard let response = responses.first else { return }
    #expect(response.status == status, sourceLocation: sourceLocation)
    #expect(response.headers["content-type"] == "application/json", sourceLocation: sourceLocation)
    #expect(response.headers["connection"] == "close", sourceLocation: sourceLocation)
    let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String]
    #expect(object?["error"]?.isEmpty == false, sourceLocation: sourceLocation)
    #expect(harness.transport.closed, sourceLocation: sourceLocation)
    #expect(harness.requests.isEmpty, sourceLocation: sourceLocation)
}

@Test func headerBlockOverLimitIs431() {
    let harness = SessionHarness(limits: HTTPLimits(maxHeaderBytes: 200))
    harness.feed("GET / HTTP/1.1\r\nX-Big: \(String(repeating: "a", count: 300))\r\n\r\n")
    expectJSONError(harness, status: 431)
}

@Test func headerBlockAtExactlyTheLimitIsAccepted() {
    let head = "GET / HTTP/1.1\r\nX: \(String(repeating: "a", count: 50))\r\n\r\n"
    let exact = SessionHarness(limits: HTTPLimits(maxHeaderBytes: head.utf8.count))
    exact.feedOneByteAtATime(Array(head.utf8))
    #expect(exact.transport.responses.first?.status == 200)
    let oneOver = SessionHarness(limits: HTTPLimits(maxHeaderBytes: head.utf8.count - 1))
    oneOver.feedOneByteAtATime(Array(head.utf8))
    expectJSONError(oneOver, status: 431)
}

@Test func hugeRequestLineIs431EvenWithoutLineEnd() {
    let harness = SessionHarness()
    harness.feed("GET /" + String(repeating: "x", count: 40_000))
    expectJSONError(harness, status: 431)
}

@Test func tooManyHeadersIs431() {
    let harness = SessionHarness(limits: HTTPLimits(maxHeaderCount: 5))
    let headers = (1...6).map { "X-\($0): v\r\n" }.joined()
    harness.feed("GET / HTTP/1.1\r\n\(headers)\r\n")
    expectJSONError(harness, status: 431)
    let fine = SessionHarness(limits: HTTPLimits(maxHeaderCount: 5))
    fine.feed("GET / HTTP/1.1\r\n\((1...5).map { "X-\($0): v\r\n" }.joined())\r\n")
    #expect(fine.transport.responses.first?.status == 200)
}

@Test func urlencodedFormOverLimitIs413() {
    let harness = SessionHarness(limits: HTTPLimits(maxFormBytes: 10))
    harness.feed("POST / HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n\r\na=123456789")
    expectJSONError(harness, status: 413)
}

@Test func chunkedRawBodyOverLimitIs413() {
    let harness = SessionHarness(limits: HTTPLimits(maxFormBytes: 10))
    harness.feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n")
    #expect(harness.transport.output.isEmpty)
    harness.feed("8\r\n12345678\r\n0\r\n\r\n")
    expectJSONError(harness, status: 413)
}

@Test func multipartTextFieldOverLimitIs413() {
    let harness = SessionHarness(limits: HTTPLimits(maxFieldBytes: 8))
    harness.feed(MultipartBody(boundary: "b").field("mesg", "123456789").request())
    expectJSONError(harness, status: 413)
}

@Test func multipartNonFileBytesOverFormLimitIs413() {
    let harness = SessionHarness(limits: HTTPLimits(maxFormBytes: 200))
    var body = MultipartBody(boundary: "b")
    for index in 0..<10 { body = body.field("f\(index)", "0123456789") }
    harness.feed(body.request())
    expectJSONError(harness, status: 413)
}

@Test func fileOverUploadLimitIs413AndLeavesNoFile() {
    let harness = SessionHarness(limits: HTTPLimits(maxUploadBytes: 1000))
    harness.feed(MultipartBody(boundary: "b").file("filedata", filename: "a.bin", randomBytes(1001, seed: 1)).request())
    expectJSONError(harness, status: 413)
    #expect(harness.uploadDirectoryContents.isEmpty)
}

@Test func secondFileFailingDeletesTheFirst() {
    let harness = SessionHarness(limits: HTTPLimits(maxUploadBytes: 1000))
    let body = MultipartBody(boundary: "b")
        .file("one", filename: "a.bin", randomBytes(10, seed: 1))
        .file("two", filename: "b.bin", randomBytes(2000, seed: 2))
    harness.feed(body.request())
    expectJSONError(harness, status: 413)
    #expect(harness.uploadDirectoryContents.isEmpty)
}

@Test func tooManyFilesIs413() {
    let harness = SessionHarness(limits: HTTPLimits(maxUploadFiles: 2))
    var body = MultipartBody(boundary: "b")
    for index in 0..<3 { body = body.file("f\(index)", filename: "\(index).txt", [1]) }
    harness.feed(body.request())
    expectJSONError(harness, status: 413)
    #expect(harness.uploadDirectoryContents.isEmpty)
}

@Test func malformedRequestLineIs400() {
    let harness = SessionHarness()
    harness.feed("GARBAGE\r\n\r\n")
    expectJSONError(harness, status: 400)
}

@Test func negativeContentLengthIs400() {
    let harness = SessionHarness()
    harness.feed("POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n")
    expectJSONError(harness, status: 400)
}

@Test func badChunkSizeIs400() {
    let harness = SessionHarness()
    harness.feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n")
    expectJSONError(harness, status: 400)
}

@Test func unsupportedTransferCodingIs501() {
    let harness = SessionHarness()
    harness.feed("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n")
    expectJSONError(harness, status: 501)
    let plain = SessionHarness()
    plain.feed("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n")
    expectJSONError(plain, status: 501)
}

@Test func rawNulInPathIs400() {
    let harness = SessionHarness()
    harness.feed(Array("GET /a".utf8) + [0] + Array("b HTTP/1.1\r\n\r\n".utf8))
    expectJSONError(harness, status: 400)
}

@Test func errorAfterAGoodRequestKeepsTheFirstAnswer() {
    let harness = SessionHarness()
    harness.feed("GET /ok HTTP/1.1\r\n\r\nNOT HTTP AT ALL\r\n\r\n")
    #expect(harness.transport.responses.map(\.status) == [200, 400])
    #expect(harness.transport.closed)
}
