/// Compact JSON text. Hand-written rather than `JSONSerialization` because we need member
/// order preserved, integers printed without a fraction, and `/` left unescaped (full message
/// ids are URLs, and the original's Ruby encoder writes them verbatim).
extension JSONValue {
    public var compactString: String {
        var out = ""
        out.reserveCapacity(64)
        JSONValue.write(self, into: &out)
        return out
    }

    static func write(_ value: JSONValue, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += formatNumber(n)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            var first = true
            for (key, member) in members {
                if !first { out += "," }
                first = false
                writeString(key, into: &out)
                out += ":"
                write(member, into: &out)
            }
            out += "}"
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

    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
