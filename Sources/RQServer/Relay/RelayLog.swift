import Foundation

/// Appends lines to a message's `job/stdio.log` in the original relay script's format,
/// `ESC[0;36m<pid> - <time>ESC[0m - <text>`; the pid is the server's, since no script runs.
struct RelayLog {
    let path: String
    let pid: Int32

    init(jobDirectory: String, pid: Int32 = getpid()) {
        path = jobDirectory + "/stdio.log"
        self.pid = pid
    }

    static func line(_ text: String, pid: Int32, at date: Date) -> String {
        "\u{1B}[0;36m\(pid) - \(rubyTime(date))\u{1B}[0m - \(text)\n"
    }

    /// Ruby's `Time#to_s` in UTC: `2026-12-01 05:08:31 +0000`.
    static func rubyTime(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d +0000", parts.tm_year + 1900, parts.tm_mon + 1,
                      parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// Best effort: a log line that cannot be written never stops a delivery.
    func append(_ lines: [String], at date: Date = Date()) {
        guard !lines.isEmpty else { return }
        let text = lines.map { Self.line($0, pid: pid, at: date) }.joined()
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return }
            written += n
        }
    }
}
