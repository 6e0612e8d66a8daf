import Foundation

/// `--due`: seconds since 1970 (sent as typed) or a calendar date (sent as those seconds). The
/// queue reads `due` with Ruby's `to_i`, so `--due tomorrow` used to become 0 and run at once.
enum DueTime {
    /// Date forms, after a blank between date and time became `T`. Without `Z` or an offset
    /// the time is local, as a person typing a date means it.
    private static let formats = [
        "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mmXXXXX", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd",
    ]

    /// The value to send, or nil when `text` is neither a number nor a date.
    static func parse(_ text: String) -> String? {
        if isSeconds(text) { return text }
        let normalized = text.replacingOccurrences(of: " ", with: "T")
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = .current
            formatter.isLenient = false
            formatter.dateFormat = format
            if let date = formatter.date(from: normalized), formatter.string(from: date) == normalized || format.hasSuffix("XXXXX") {
                return String(Int(date.timeIntervalSince1970.rounded(.down)))
            }
        }
        return nil
    }

    /// Digits with an optional fraction (`1700000000`, `1700000000.5`).
    private static func isSeconds(_ text: String) -> Bool {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }
}
