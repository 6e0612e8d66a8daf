import Foundation

/// `config/queuemgr.pid`: how `start`, `stop` and `status` find the running server.
struct PidFile {
    let path: String

    init(root: String) { path = root + "/config/queuemgr.pid" }

    /// The pid recorded in the file, if that process is alive.
    func runningPid() -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else { return nil }
        return kill(pid, 0) == 0 || errno == EPERM ? pid : nil
    }

    /// Polls until `condition` holds or `seconds` pass.
    static func wait(seconds: Double, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }
}
