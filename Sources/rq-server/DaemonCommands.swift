import ArgumentParser
import Foundation
import RQServer
import RQStore

/// `rq-server run`: the server in the foreground (what `start` runs in the background).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the server in the foreground.")
    @OptionGroup var root: RootOption
    @Flag(help: "Create an installation in the root first when it has none, with the options below.") var install: Bool = false
    @OptionGroup(title: "Installation options (with --install)") var installOptions: InstallOptions
    @Flag(help: .hidden) var detached: Bool = false

    func validate() throws {
        if !install, let option = installOptions.given.first {
            throw ValidationError("\(option) only applies with --install")
        }
    }

    func run() throws {
        if detached {
            setsid()
            Self.closeInheritedDescriptors()
        }
        if install, !root.isInstalled { try installOptions.install(root: root.path, force: false) }
        try root.requireInstallation()
        let pidFile: HeldPidFile
        do {
            pidFile = try PidFile(root: root.path).lock()
        } catch {
            FileHandle.standardError.write(Data("rq-server: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
        defer { pidFile.release() }
        do {
            let server = try Server(root: root.path)
            server.onServing = { pidFile.recordPid() }
            try server.run()
        } catch {
            FileHandle.standardError.write(Data("rq-server: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

extension RunCommand {
    /// A daemon keeps nothing it inherited beyond stdio: a pipe of whoever ran `start` (a shell
    /// capturing its output, a test harness) would otherwise stay open, and that reader wait,
    /// for as long as the server runs.
    static func closeInheritedDescriptors() {
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 2 { close(fd) }
    }
}

/// `rq-server start`: runs `rq-server run` detached, output to log/queuemgr.log, and waits
/// until it serves or has failed (then the reason from the log is shown here, not only there).
struct StartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start the server as a background daemon.")
    @OptionGroup var root: RootOption

    func run() throws {
        try root.requireInstallation()
        let pidFile = PidFile(root: root.path)
        if case .running(let pid) = pidFile.state {
            print("rq-server already running\(pid.map { " (pid \($0))" } ?? "")")
            throw ExitCode(1)
        }
        let logPath = root.path + "/log/queuemgr.log"
        try? FileManager.default.createDirectory(atPath: root.path + "/log", withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        guard let log = FileHandle(forWritingAtPath: logPath) else {
            print("cannot open \(logPath)")
            throw ExitCode(1)
        }
        let logStart = log.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["run", "--root", root.path, "--detached"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        _ = PidFile.wait(seconds: 60) { pidFile.runningPid != nil || !process.isRunning }
        guard process.isRunning, let pid = pidFile.runningPid else {
            let reason = Self.logText(logPath, from: logStart).trimmingCharacters(in: .whitespacesAndNewlines)
            print("rq-server failed to start" + (reason.isEmpty ? "" : ":\n" + reason) + "\n(log: \(logPath))")
            throw ExitCode(1)
        }
        print("rq-server started (pid \(pid))")
    }

    private static func logText(_ path: String, from offset: UInt64) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        return String(decoding: handle.readDataToEndOfFile().suffix(4000), as: UTF8.self)
    }
}

/// `rq-server stop`: SIGTERM, then waits until the server has let go of its pid-file lock.
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the background server and wait for it to exit.")
    @OptionGroup var root: RootOption
    @Option(help: "Seconds to wait before sending SIGKILL.") var timeout: Double = 30

    func run() throws {
        let pidFile = PidFile(root: root.path)
        guard case .running = pidFile.state else {
            print("rq-server not running")
            return
        }
        // A server still starting has the lock but has not written its pid yet.
        _ = PidFile.wait(seconds: timeout) { pidFile.state != .running(pid: nil) }
        guard let pid = pidFile.runningPid else {
            if pidFile.state == .notRunning { return print("rq-server not running") }
            print("rq-server is still starting after \(Int(timeout)) s; try again")
            throw ExitCode(1)
        }
        kill(pid, SIGTERM)
        if !PidFile.wait(seconds: timeout, until: { pidFile.state == .notRunning }) {
            kill(pid, SIGKILL)
            _ = PidFile.wait(seconds: 5) { pidFile.state == .notRunning }
        }
        print("rq-server stopped (pid \(pid))")
    }
}

/// `rq-server status`: exit 0 only when running.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Tell whether the server runs (exit 0) or not (exit 1).")
    @OptionGroup var root: RootOption

    func run() throws {
        switch PidFile(root: root.path).state {
        case .running(let pid?): print("rq-server running (pid \(pid))")
        case .running(nil): print("rq-server starting")
        case .notRunning:
            print("rq-server not running")
            throw ExitCode(1)
        }
    }
}
