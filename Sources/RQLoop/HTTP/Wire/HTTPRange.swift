/// `Range` request header handling with Rack::File's semantics (spec rest-api §3.5): one
/// satisfiable range → 206, none satisfiable → 416, anything else (absent, malformed,
/// several ranges) → the full body with 200.
public enum HTTPRange {
    public enum Outcome: Equatable, Sendable {
        case full
        /// Inclusive byte positions, `end` already clamped to `size - 1`.
        case partial(start: Int64, end: Int64)
        case unsatisfiable
    }

    public static func parse(_ header: String, size: Int64) -> Outcome {
        let trimmed = header.trimmingASCIISpaces()
        guard trimmed.lowercased().hasPrefix("bytes=") else { return .full }
        let specs = trimmed.dropFirst("bytes=".count).split(separator: ",", omittingEmptySubsequences: false)
        var ranges: [(Int64, Int64)] = []
        for spec in specs {
            guard let bounds = parseSpec(spec.trimmingASCIISpaces()) else { return .full }
            let start: Int64
            let end: Int64
            switch bounds {
            case (nil, nil):
                return .full
            case (nil, let suffix?):
                start = max(0, size - suffix)
                end = size - 1
            case (let first?, nil):
                start = first
                end = size - 1
            case (let first?, let last?):
                if last < first { return .full }  // backwards range: syntactically invalid
                start = first
                end = min(last, size - 1)
            }
            if start <= end { ranges.append((start, end)) }
        }
        switch ranges.count {
        case 0: return .unsatisfiable
        case 1: return .partial(start: ranges[0].0, end: ranges[0].1)
        default: return .full
        }
    }

    /// `Content-Range` value for a 206 (`bytes 0-9/100`) or a 416 (`bytes */100`).
    public static func contentRange(_ outcome: Outcome, size: Int64) -> String? {
        switch outcome {
        case .full: nil
        case .partial(let start, let end): "bytes \(start)-\(end)/\(size)"
        case .unsatisfiable: "bytes */\(size)"
        }
    }

    /// `a-b`, `a-`, `-n` → their numbers; numbers too large for Int64 saturate, which keeps
    /// the clamping semantics of arbitrary-precision integers.
    private static func parseSpec(_ spec: String) -> (Int64?, Int64?)? {
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash]
        let last = spec[spec.index(after: dash)...]
        guard first.allSatisfy(\.isASCIIDigit), last.allSatisfy(\.isASCIIDigit) else { return nil }
        return (saturatingNumber(first), saturatingNumber(last))
    }

    private static func saturatingNumber(_ digits: Substring) -> Int64? {
        guard !digits.isEmpty else { return nil }
        return Int64(digits) ?? Int64.max
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
