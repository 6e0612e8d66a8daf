import Foundation

/// The time part of a message id: `YYYYMMDD.HHMM.SS.mmm`, UTC.
enum MessageTimestamp {
    /// gmtime_r instead of DateFormatter: this runs for every message and must be cheap.
    static func format(_ seconds: Double) -> String {
        let millisTotal = Int64((seconds * 1000).rounded(.down))
        var whole = time_t(millisTotal / 1000)
        let millis = Int(millisTotal % 1000)
        var parts = tm()
        gmtime_r(&whole, &parts)
        return pad(Int(parts.tm_year) + 1900, 4) + pad(Int(parts.tm_mon) + 1, 2) + pad(Int(parts.tm_mday), 2) + "."
            + pad(Int(parts.tm_hour), 2) + pad(Int(parts.tm_min), 2) + "." + pad(Int(parts.tm_sec), 2) + "."
            + pad(millis, 3)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
