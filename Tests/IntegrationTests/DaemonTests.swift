import Foundation
import Testing
import TestSupport

/// The operator commands of `rq-server` (install, start, status, stop) and the `rq` CLI's
/// command lookup and help, run as real processes.
@Suite struct DaemonTests {
    @Test func installRefusesASecondInstallUnlessForced() throws {
        let dir = try TempRoot()
        let port = String(try FreePort.find())
        let first = try dir.server("install", "--port", port)
        #expect(first.status == 0, "\(first.stdout) \(first.stderr)")
        let second = try dir.server("install", "--port", port)
        #expect(second.status == 1)
        #expect((second.stdout + second.stderr).contains("Already installed"))
        let forced = try dir.server("install", "--port", port, "--force")
        #expect(forced.status == 0, "\(forced.stdout) \(forced.stderr)")
    }

    @Test func installDefaults() throws {
        let dir = try TempRoot()
        let r = try dir.server("install")
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/config/config.json"))
        let config = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(config["addr"] as? String == "127.0.0.1")
        #expect(config["port"] as? Int == 3333)
        #expect(config["env"] as? String == "development")
        #expect(config["allow_new_queue"] as? Bool == true)
        for sub in ["queue", "scandir", "log", "timers"] {
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: dir.path + "/" + sub, isDirectory: &isDirectory) && isDirectory.boolValue, "\(sub)")
        }
        for queue in ["relay", "cleaner", "webhook", "debug", "rq_router"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir.path)/queue/\(queue)/config.json"), "\(queue)")
        }
    }

    @Test func startStatusStop() throws {
        let dir = try TempRoot()
        let port = try FreePort.find()
        #expect(try dir.server("install", "--port", String(port)).status == 0)
        defer { dir.killRecordedServer() }
        let before = try dir.server("status")
        #expect(before.status == 1)
        #expect(before.out == "rq-server not running")

        let start = try dir.server("start")
        #expect(start.status == 0, "\(start.stdout) \(start.stderr)")
        let status = try dir.server("status")
        #expect(status.status == 0)
        #expect(status.out.hasPrefix("rq-server running (pid "), "\(status.out)")
        let pid = try #require(dir.recordedPid())
        #expect(status.out == "rq-server running (pid \(pid))")
        let home = try Command.run("/usr/bin/curl", ["-s", "--max-time", "5", "http://127.0.0.1:\(port)/"])
        #expect(home.stdout.contains("QUEUE MGR is OPERATIONAL"))

        let stop = try dir.server("stop", "--timeout", "8")
        #expect(stop.status == 0, "\(stop.stdout) \(stop.stderr)")
        #expect(!processIsAlive(pid))
        let after = try dir.server("status")
        #expect(after.status == 1)
        #expect(after.out == "rq-server not running")
        let refused = try Command.run("/usr/bin/curl", ["-s", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/"])
        #expect(refused.stdout == "000")
    }

    @Test func cliHelpAndUnknownCommand() throws {
        let dir = try TempRoot()
        let help = try Command.run(Binaries.cli, ["sendmesg", "--help"], cwd: dir.path, environment: ["RQ_ROOT": dir.path])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--dest"))
        let unknown = try Command.run(Binaries.cli, ["nosuch"], cwd: dir.path, environment: ["RQ_ROOT": dir.path])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "Command not found: nosuch (cmd_nosuch)\n")
        #expect(unknown.stdout.isEmpty)
    }
}

/// A fresh directory under the temp dir, removed when the test ends.
final class TempRoot {
    private let directory: TemporaryDirectory
    let path: String

    init() throws {
        directory = try TemporaryDirectory(prefix: "rq-dt")
        path = directory.path
    }

    /// `rq-server <arguments> --root <this root>`.
    func server(_ arguments: String...) throws -> CommandResult {
        try Command.run(Binaries.server, arguments + ["--root", path])
    }

    /// The pid in `config/queuemgr.pid`, if any.
    func recordedPid() -> Int32? {
        guard let text = try? String(contentsOfFile: path + "/config/queuemgr.pid", encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Cleanup after a failed test: the daemon is not our child, so it is found by its pid file.
    func killRecordedServer() {
        if let pid = recordedPid(), pid > 0, processIsAlive(pid) { kill(pid, SIGKILL) }
    }
}

/// Alive and not a zombie (an orphaned daemon is reaped by whoever adopted it, maybe later).
func processIsAlive(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return true }
    return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
}
