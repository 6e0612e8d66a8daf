/// Compact JSON text. Hand-written rather than `JSONSerialization` because we need member
/// order preserved, integers printed without a fraction, and `/` left unescaped (full message
/// ids are URLs, and the original's Ruby encoder writes them verbatim).
///
/// It writes UTF-8 bytes, copying runs that need no escaping in one piece: every message
/// is encoded at least twice on the way in (its `msg` file and its journal record), and
/// appending scalar by scalar to a `String` was the largest user-space cost of intake.
extension JSONValue {
    public var compactString: String {
        String(decoding: compactBytes, as: UTF8.self)
    }

    /// The compact text as UTF-8 bytes (what files and sockets take).
    public var compactBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        JSONValue.write(self, into: &out)
        return out
    }

    static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .number(let n): out += formatNumber(n).utf8
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in members {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func formatNumber(_ n: Double) -> String {
        // JSON has no NaN or infinity; null is what JavaScript's JSON.stringify writes.
        guard n.isFinite else { return "null" }
        if n == n.rounded(), n.magnitude <= 9_007_199_254_740_992 {
            return String(Int64(n))
        }
        return "\(n)"
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { writeString(utf8: $0, into: &out) }
    }

    /// `bytes` (valid UTF-8) as a JSON string literal.
    static func writeString(utf8 bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            // Bytes of multi-byte characters are all >= 0x80: copied as they are.
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            runStart = index + 1
            switch byte {
            case UInt8(ascii: "\""): out += #"\""#.utf8
            case UInt8(ascii: "\\"): out += #"\\"#.utf8
            case UInt8(ascii: "\n"): out += #"\n"#.utf8
            case UInt8(ascii: "\r"): out += #"\r"#.utf8
            case UInt8(ascii: "\t"): out += #"\t"#.utf8
            case 0x08: out += #"\b"#.utf8
            case 0x0C: out += #"\f"#.utf8
            default:
                let hex = Array("0123456789abcdef".utf8)
                out += #"\u00"#.utf8
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        out.append(UInt8(ascii: "\""))
    }
}
