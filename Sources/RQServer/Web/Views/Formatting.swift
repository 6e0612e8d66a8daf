import Foundation

/// Small display rules shared by the pages (main.js repeats them for live updates).
enum Formatting {
    private static let blocks = Array("▁▂▃▄▅▆▇█")

    /// One block character per value, scaled to the largest.
    static func spark(_ values: [Int]) -> String {
        let top = values.max() ?? 0
        return String(values.map { value -> Character in
            guard value > 0, top > 0 else { return blocks[0] }
            return blocks[max(1, Int((Double(value) / Double(top) * 7).rounded(.up)))]
        })
    }

    static func age(_ seconds: Double?) -> String {
        guard let seconds else { return "–" }
        let s = max(0, Int(seconds))
        switch s {
        case ..<60: return "\(s)s"
        case ..<3600: return "\(s / 60)m \(s % 60)s"
        case ..<86400: return "\(s / 3600)h \((s % 3600) / 60)m"
        default: return "\(s / 86400)d \((s % 86400) / 3600)h"
        }
    }

    /// web-ui.md §8.2: 0 ⇒ none; > 0 ⇒ yellow, but err ⇒ red and done/relayed ⇒ green.
    static func countColor(state: String, value: Int) -> String {
        guard value > 0 else { return "none" }
        switch state {
        case "err": return "red"
        case "done", "relayed": return "green"
        default: return "yellow"
        }
    }

    static func size(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }

    /// Seconds since the epoch of a message id's time part (`YYYYMMDD.HHMM.SS.mmm…`, UTC).
    static func idTime(_ id: String) -> Double? {
        let parts = id.split(separator: ".")
        guard parts.count >= 4, parts[0].count == 8, parts[1].count == 4,
              let date = Int(parts[0]), let hm = Int(parts[1]), let sec = Int(parts[2]), let ms = Int(parts[3]) else { return nil }
        var t = tm()
        t.tm_year = Int32(date / 10000 - 1900)
        t.tm_mon = Int32(date / 100 % 100 - 1)
        t.tm_mday = Int32(date % 100)
        t.tm_hour = Int32(hm / 100)
        t.tm_min = Int32(hm % 100)
        t.tm_sec = Int32(sec)
        return Double(timegm(&t)) + Double(ms) / 1000
    }

    static func serverTime(_ seconds: Double) -> String {
        var whole = time_t(seconds)
        var parts = tm()
        gmtime_r(&whole, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let n = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S UTC", &parts)
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
