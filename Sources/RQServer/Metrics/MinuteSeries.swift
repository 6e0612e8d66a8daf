/// Events per wall-clock minute over the last `length` minutes: the home page's done/err per
/// minute. A ring of counters indexed by minute number, so recording and reading are O(length)
/// at worst and memory stays fixed however busy the queue is.
struct MinuteSeries {
    let length: Int
    private var counts: [Int]
    /// The minute number (seconds / 60) held in each slot; a stale slot reads as 0.
    private var minutes: [Int]

    init(length: Int = 10) {
        self.length = length
        counts = Array(repeating: 0, count: length)
        minutes = Array(repeating: -1, count: length)
    }

    mutating func record(at seconds: Double, count: Int = 1) {
        let minute = Int(seconds / 60)
        let slot = minute % length
        if minutes[slot] != minute {
            minutes[slot] = minute
            counts[slot] = 0
        }
        counts[slot] += count
    }

    /// Oldest first; the last entry is the current (partial) minute.
    func perMinute(at seconds: Double) -> [Int] {
        let now = Int(seconds / 60)
        return (0..<length).reversed().map { back in
            let minute = now - back
            let slot = minute % length
            return minutes[slot] == minute ? counts[slot] : 0
        }
    }
}
