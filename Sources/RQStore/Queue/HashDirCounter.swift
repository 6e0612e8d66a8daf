/// Counts the ids in a hash dir (`YYYYMMDD/HH/MM/<id>`) a few minute directories at a time, so
/// a queue with millions of done messages is counted between other work on the loop instead of
/// in one long walk. The count stays exact while messages move in and out during the walk:
/// `adjust` applies a move only where the walker has already been (or will never go: a
/// directory created after it listed that level); elsewhere the walker sees the move on disk.
final class HashDirCounter {
    private let hashDir: HashDir
    private(set) var total = 0
    private(set) var isFinished = false
    /// Days listed at the start, newest first; `daysEntered` of them have been entered.
    private let days: [String]
    private var daysEntered = 0
    /// Hours of the current day (listed on entering it); `hoursEntered` entered.
    private var hours: [String] = []
    private var hoursEntered = 0
    /// Minutes of the current hour (listed on entering it); `minutesCounted` counted.
    private var minutes: [String] = []
    private var minutesCounted = 0

    init(hashDir: HashDir) {
        self.hashDir = hashDir
        days = hashDir.sortedDescending(hashDir.path, digits: 8)
    }

    /// Counts up to `budget` minute directories; true once everything is counted.
    @discardableResult
    func step(budget: Int) -> Bool {
        var counted = 0
        while !isFinished, counted < budget {
            if minutesCounted < minutes.count {
                let directory = [hashDir.path, days[daysEntered - 1], hours[hoursEntered - 1], minutes[minutesCounted]].joined(separator: "/")
                total += FileOps.listIfPresent(directory).count(where: HashDir.isLeafName)
                minutesCounted += 1
                counted += 1
            } else if hoursEntered < hours.count {
                let directory = [hashDir.path, days[daysEntered - 1], hours[hoursEntered]].joined(separator: "/")
                minutes = hashDir.sortedDescending(directory, digits: 2)
                minutesCounted = 0
                hoursEntered += 1
            } else if daysEntered < days.count {
                hours = hashDir.sortedDescending(hashDir.path + "/" + days[daysEntered], digits: 2)
                hoursEntered = 0
                minutes = []
                minutesCounted = 0
                daysEntered += 1
            } else {
                isFinished = true
            }
        }
        return isFinished
    }

    /// A message entered (+1) or left (-1) the hash dir at `<day>/<hour>/<minute>/<id>`.
    func adjust(day: String, hour: String, minute: String, by delta: Int) {
        if isCounted(day: day, hour: hour, minute: minute) { total = max(0, total + delta) }
    }

    /// Whether the walker is past that minute directory, or will never visit it.
    func isCounted(day: String, hour: String, minute: String) -> Bool {
        if isFinished { return true }
        guard let dayIndex = days.firstIndex(of: day) else { return true }
        if dayIndex != daysEntered - 1 { return dayIndex < daysEntered - 1 }
        guard let hourIndex = hours.firstIndex(of: hour) else { return true }
        if hourIndex != hoursEntered - 1 { return hourIndex < hoursEntered - 1 }
        guard let minuteIndex = minutes.firstIndex(of: minute) else { return true }
        return minuteIndex < minutesCounted
    }
}
