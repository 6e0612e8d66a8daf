import Glibc

/// The line that opens every run in `job/stdio.log` (worker-protocol.md §6.2):
/// `\n<pid> - <local time> - RQ START - <resolved script path>\n`, the time in Ruby's
/// `Time#to_s` format, e.g. `2024-01-05 13:07:22 +0000`.
///
/// The child writes it, as in the original: the pid is only known once the child exists,
/// and a line written by the parent after `posix_spawn` returns loses the race against the
/// script's first output often enough to be seen (measured in the tests). So every child
/// starts as `/bin/sh -c <prologue>`, which prints the header into fd 1 and `exec`s the real
/// program: same pid, same process group, one `dash` start (~1 ms) per job.
enum SpawnLogHeader {
    /// `$1` time, `$2` script path, `$3…` the program and its arguments. The values travel
    /// as arguments, never inside the shell text, so no quoting is involved.
    static let prologue = #"printf '\n%s - %s - RQ START - %s\n' "$$" "$1" "$2"; shift 2; exec "$@""#
    static let shellPath = "/bin/sh"
    /// `$0` of the prologue shell: names it in its own error messages in the log.
    static let shellName = "rq-worker"

    /// The full argv that runs `executable arguments…` behind the header prologue.
    static func wrappedArguments(
        epochSeconds: Int, scriptPath: String, executable: String, arguments: [String]
    ) -> [String] {
        [shellPath, "-c", prologue, shellName, rubyLocalTime(epochSeconds: epochSeconds), scriptPath, executable]
            + arguments
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
