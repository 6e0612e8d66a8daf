/// Ruby's `String#to_i` (base 10), which the original used for counts, `due`, and the
/// `resend`/`dup` delays: leading whitespace, an optional sign, then digits (single `_` between
/// digits allowed); anything unparsable is 0. Hand-written because `Int(_:)` rejects trailing text.
public enum RubyInteger {
    /// Saturates instead of overflowing: a delay of more than ~68 years means "never".
    public static let limit = Int(Int32.max)

    public static func leadingValue(of text: String) -> Int {
        var scalars = Substring(text).unicodeScalars.drop { isSpace($0) }
        var negative = false
        if let sign = scalars.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            scalars = scalars.dropFirst()
        }
        var value = 0
        var previousWasDigit = false
        for scalar in scalars {
            if ("0"..."9").contains(scalar) {
                value = min(limit, value * 10 + Int(scalar.value - 48))
                previousWasDigit = true
            } else if scalar == "_", previousWasDigit {
                previousWasDigit = false
            } else {
                break
            }
        }
        return negative ? -value : value
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "\n", "\u{0B}", "\u{0C}", "\r": return true
        default: return false
        }
    }
}
