/// Ruby's `String#to_i` (base 10), which the original used for `resend` and `dup` delays:
/// leading whitespace, an optional sign, then digits (single `_` between digits allowed);
/// anything unparsable is 0. Hand-written because `Int(_:)` rejects trailing text.
enum RubyInteger {
    /// Saturates instead of overflowing: a delay of more than ~68 years means "never".
    static let limit = Int(Int32.max)

    static func leadingValue(of text: String) -> Int {
        var scalars = Substring(text).unicodeScalars.drop { StatusReport.isSpace($0) }
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
}
