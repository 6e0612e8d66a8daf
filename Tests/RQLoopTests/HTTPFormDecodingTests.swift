import Testing
@testable import RQLoop

@Test func urlDecodeIsStrict() {
    #expect(FormDecoding.urlDecode("a+b%20c%2Fd") == "a b c/d")
    #expect(FormDecoding.urlDecode("%E2%82%AC") == "€")
    #expect(FormDecoding.urlDecode("100%") == nil)
    #expect(FormDecoding.urlDecode("%zz") == nil)
    #expect(FormDecoding.urlDecode("%FF") == nil)
    #expect(FormDecoding.urlDecode("") == "")
}

@Test func percentDecodeKeepsPlus() {
    #expect(FormDecoding.percentDecode("a+b%2B%2e") == "a+b+.")
    #expect(FormDecoding.percentDecode("%00") == "\u{0}")
}

@Test func parseQueryIsLenientOnEscapesAndOrdered() throws {
    let pairs = try FormDecoding.parseQuery("b=2&a=1&&a=3&x&bad=%zz&eq=a=b&plus=1+1&u=%C3%A9&pct=100%")
    #expect(pairs.map(\.0) == ["b", "a", "a", "x", "bad", "eq", "plus", "u", "pct"])
    #expect(pairs.map(\.1) == ["2", "1", "3", "", "%zz", "a=b", "1 1", "é", "100%"])
    #expect(try FormDecoding.parseQuery("").isEmpty)
    #expect(try FormDecoding.parseQuery("queue%5Bcoalesce_params%5D%5B%5D=1").map(\.0) == ["queue[coalesce_params][]"])
}

@Test func parseQueryRefusesBytesThatAreNotUTF8() {
    for query in ["broken=%C3", "name=z%FF%FE", "%80=x", "a=1&b=%ED%A0%80"] {
        #expect(throws: FormDecoding.invalidUTF8, "\(query)") { try FormDecoding.parseQuery(query) }
    }
}

@Test func headerParametersParseQuotedValues() {
    let type = HeaderParameters("Multipart/Form-Data; boundary=\"a;b\" ; charset=utf-8")
    #expect(type.value == "multipart/form-data")
    #expect(type.parameter("boundary") == "a;b")
    #expect(type.parameter("charset") == "utf-8")
    let disposition = HeaderParameters("form-data; NAME=\"f\"; filename=\"q\\\"x\\\\\"")
    #expect(disposition.parameter("name") == "f")
    #expect(disposition.parameter("filename") == "q\"x\\")
    // Rack's rule: a backslash before anything but `\` or `"` means an unescaped Windows path,
    // kept verbatim.
    #expect(HeaderParameters("form-data; filename=\"C:\\dir\\x\"").parameter("filename") == "C:\\dir\\x")
}

@Test func responseEncoderSetsLengthAndReason() {
    let head = String(decoding: HTTPResponseEncoder.head(.json(404, "{}"), close: true, keepAliveHeader: false), as: UTF8.self)
    #expect(head == "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n")
    let notModified = String(decoding: HTTPResponseEncoder.head(HTTPResponse(status: 304), close: false, keepAliveHeader: false), as: UTF8.self)
    #expect(notModified == "HTTP/1.1 304 Not Modified\r\n\r\n")
    #expect(HTTPResponseEncoder.reasonPhrase(799) == "Unknown")
    #expect(HTTPResponse.errorJSON("a/b \"c\"") == #"{"error":"a/b \"c\""}"#)
}
