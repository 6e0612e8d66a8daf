import Foundation

/// A relay log line in the original relay script's format,
/// `ESC[0;36m<pid> - <time>ESC[0m - <text>`; the pid is the server's, since no script runs.
enum RelayLogLine {
    static func format(_ text: String, pid: Int32 = getpid(), at date: Date = Date()) -> String {
        "\u{1B}[0;36m\(pid) - \(rubyTime(date))\u{1B}[0m - \(text)"
    }

    /// Ruby's `Time#to_s` in UTC: `2026-12-01 05:08:31 +0000`.
    static func rubyTime(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d +0000", parts.tm_year + 1900, parts.tm_mon + 1,
                      parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
