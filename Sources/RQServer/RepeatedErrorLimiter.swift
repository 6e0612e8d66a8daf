/// Keeps a failing condition (a full disk) from writing a log line per failed write: the
/// first error of a kind is logged, repeats within `interval` seconds are only counted, and
/// the next one logged after it says how many were left out.
struct RepeatedErrorLimiter {
    let interval: Double
    private var windows: [String: (start: Double, suppressed: Int)] = [:]

    init(interval: Double = 10) {
        self.interval = interval
    }

    /// nil: leave this one out. Otherwise log it, with the number of repeats left out since
    /// the last logged one of this kind.
    mutating func admit(_ kind: String, now: Double) -> Int? {
        if let window = windows[kind], now - window.start < interval {
            windows[kind] = (window.start, window.suppressed + 1)
            return nil
        }
        let suppressed = windows[kind]?.suppressed ?? 0
        windows[kind] = (now, 0)
        if windows.count > 1024 { windows = windows.filter { now - $0.value.start < interval } }
        return suppressed
    }

    /// `text` as it should be logged now, or nil to leave it out.
    mutating func line(_ text: String, kind: String, now: Double) -> String? {
        guard let suppressed = admit(kind, now: now) else { return nil }
        return suppressed > 0 ? "\(text) (\(suppressed) more like it left out)" : text
    }
}
