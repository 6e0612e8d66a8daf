import Glibc

/// The line that opens every run in `job/stdio.log` (worker-protocol.md §6.2):
/// `\n<pid> - <local time> - RQ START - <resolved script path>\n`, the time in Ruby's
/// `Time#to_s` format, e.g. `2024-01-05 13:07:22 +0000`.
///
/// The child writes `\n<pid>` and this tail itself, after its setup and before `execve`
/// (`rq_spawn_with_header` in CSpawn): only the child knows its pid before the program
/// runs, and a line written by the parent after the spawn loses the race against the
/// script's first output. A placeholder reserved by the parent cannot work either: the
/// pid's width is unknown until the child exists.
enum SpawnLogHeader {
    /// Everything after the pid: ` - <time> - RQ START - <script>\n`.
    static func tail(epochSeconds: Int, scriptPath: String) -> String {
        " - \(rubyLocalTime(epochSeconds: epochSeconds)) - RQ START - \(scriptPath)\n"
    }

    /// `strftime` rather than Foundation's DateFormatter: it follows the process's TZ
    /// exactly like Ruby does and needs no formatter cache.
    static func rubyLocalTime(epochSeconds: Int) -> String {
        var seconds = time_t(epochSeconds)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return String(epochSeconds) }
        var buffer = [CChar](repeating: 0, count: 64)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S %z", &parts)
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
