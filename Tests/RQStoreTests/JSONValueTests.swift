import Foundation
import Testing
@testable import RQStore

@Suite struct JSONValueTests {
    @Test func compactEncodingKeepsOrderIntegersAndSlashes() {
        let value: JSONValue = ["b": 1, "a": [true, false, nil], "url": "http://h:1/q/x", "f": 1.5, "n": -3]
        #expect(value.compactString == #"{"b":1,"a":[true,false,null],"url":"http://h:1/q/x","f":1.5,"n":-3}"#)
    }

    @Test func stringEscapes() {
        let value: JSONValue = .string("q\"b\\n\nt\tc\u{01}é😀/")
        #expect(value.compactString == "\"q\\\"b\\\\n\\nt\\tc\\u0001é😀/\"")
    }

    @Test func largeAndFractionalNumbers() {
        #expect(JSONValue.number(1_700_000_000).compactString == "1700000000")
        #expect(JSONValue.number(0.25).compactString == "0.25")
        #expect(JSONValue.number(Double.nan).compactString == "null")
        #expect(JSONValue.number(1e300).compactString == "1e+300")
    }

    @Test func parsesAndKeepsMemberOrder() throws {
        let text = #"{"z":1,"a":{"y":[1,2.5,"s"],"b":null},"t":true,"f":false}"#
        let value = try JSONValue.parse(text)
        #expect(value.compactString == text)
        #expect(value["t"] == .bool(true))
        #expect(value["z"] == .number(1))
    }

    @Test func parsesEscapesAndSurrogates() throws {
        let value = try JSONValue.parse(#" "a\u00e9\ud83d\ude00\/\n" "#)
        #expect(value == .string("aé😀/\n"))
        #expect(try JSONValue.parse(#""\ud800x""#) == .string("\u{FFFD}x"))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\"}", "01", "1.", "tru", "\"\u{01}\"", "[1] 2", "{'a':1}", "nul", "-", "\"\\x\""])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test func rejectsDeepNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONValue.parse(ok)) != nil)
    }

    @Test func rubyToInt() {
        #expect(JSONValue.string("12abc").rubyToInt == 12)
        #expect(JSONValue.string(" -7").rubyToInt == -7)
        #expect(JSONValue.string("abc").rubyToInt == 0)
        #expect(JSONValue.number(3.9).rubyToInt == 3)
        #expect(JSONValue.bool(true).rubyToInt == 0)
        // Too large for any count or delay: saturates rather than wrapping.
        #expect(JSONValue.string("99999999999999999999999").rubyToInt == RubyInteger.limit)
    }

    @Test func codableRoundTrip() throws {
        let value: JSONValue = ["a": [1, "x", nil, true], "b": 2.5]
        let data = try JSONEncoder().encode(value)
        let back = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(back == value)
    }
}
