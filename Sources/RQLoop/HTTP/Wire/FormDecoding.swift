/// Decoding of `application/x-www-form-urlencoded` data and percent-encoded paths.
/// Hand-written: Foundation's `removingPercentEncoding` neither treats `+` as a space nor
/// offers a lenient mode, and `URLComponents` rejects the malformed queries clients do send.
public enum FormDecoding {
    /// Form decoding: `+` is a space, `%XX` a byte. `nil` if an escape is malformed or the
    /// bytes are not UTF-8.
    public static func urlDecode(_ s: String) -> String? {
        decode(s, plusAsSpace: true, lenient: false)
    }

    /// Path decoding: `%XX` is a byte, `+` stays `+`. `nil` if an escape is malformed or the
    /// bytes are not UTF-8. (Sinatra percent-decoded route captures this way.)
    public static func percentDecode(_ s: String) -> String? {
        decode(s, plusAsSpace: false, lenient: false)
    }

    /// `a=1&b=x+y&c` → `[("a","1"), ("b","x y"), ("c","")]`. Pairs split on `&` only (a `;`
    /// stays part of the value); empty pairs are skipped. A malformed escape is kept literally
    /// (`100%` stays `100%`), but bytes that are not UTF-8 fail the request: silently turning
    /// them into U+FFFD would store something other than what the client sent.
    static func parseQuery(_ s: String) throws(HTTPError) -> [(String, String)] {
        try s.split(separator: "&", omittingEmptySubsequences: true).map { pair throws(HTTPError) in
            let name: Substring
            let value: Substring
            if let equals = pair.firstIndex(of: "=") {
                name = pair[..<equals]
                value = pair[pair.index(after: equals)...]
            } else {
                name = pair
                value = ""
            }
            return (try lenientFormDecode(name), try lenientFormDecode(value))
        }
    }

    static func lenientFormDecode(_ s: Substring) throws(HTTPError) -> String {
        guard let decoded = decode(String(s), plusAsSpace: true, lenient: true) else { throw invalidUTF8 }
        return decoded
    }

    /// The answer to form data, a multipart text field or a query that is not UTF-8.
    static let invalidUTF8 = HTTPError.badRequest("form data is not valid UTF-8")

    /// `lenient`: a malformed escape is kept as it is instead of failing. Never lenient on UTF-8.
    private static func decode(_ s: String, plusAsSpace: Bool, lenient: Bool) -> String? {
        let input = Array(s.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%") {
                if index + 2 < input.count, let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                    output.append(high << 4 | low)
                    index += 3
                    continue
                }
                if !lenient { return nil }
                output.append(byte)
            } else if byte == UInt8(ascii: "+"), plusAsSpace {
                output.append(UInt8(ascii: " "))
            } else {
                output.append(byte)
            }
            index += 1
        }
        return String(validating: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
