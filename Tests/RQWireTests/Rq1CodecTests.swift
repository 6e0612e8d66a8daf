import Testing
import RQWire

@Test func encodesPingExactly() {
    #expect(String(decoding: Rq1Codec.encode("ping "), as: UTF8.self) == "rq1 00000005 ping ")
}

@Test func headerNeedsAllThirteenBytes() throws {
    #expect(try Rq1Codec.payloadSize(header: Array("rq1 0000".utf8)) == nil)
    #expect(try Rq1Codec.payloadSize(header: Array("rq1 00000017 ".utf8)) == 17)
}

@Test func rejectsBadPrefixAndSize() {
    #expect(throws: Rq1Codec.DecodeError.badPrefix) { try Rq1Codec.payloadSize(header: Array("GET / HTTP".utf8)) }
    #expect(throws: Rq1Codec.DecodeError.badSize) { try Rq1Codec.payloadSize(header: Array("rq1 0000x017 ".utf8)) }
    #expect(throws: Rq1Codec.DecodeError.badSize) { try Rq1Codec.payloadSize(header: Array("rq1 00000017-".utf8)) }
}

@Test func splitsAtFirstSpace() {
    #expect(Rq1Codec.splitRequest("create_message {\"a\": 1}") == ("create_message", "{\"a\": 1}"))
    #expect(Rq1Codec.splitRequest("ping") == ("ping", ""))
}
