import ArgumentParser
import Foundation
import RQServer
import RQStore

/// `rq-server run`: the server in the foreground (what `start` runs in the background).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the server in the foreground.")
    @OptionGroup var root: RootOption
    @Flag(help: "Create a default installation in the root first when it has none.") var install: Bool = false
    @Flag(help: .hidden) var detached: Bool = false

    func run() throws {
        if detached { setsid() }
        if install, !FileManager.default.fileExists(atPath: root.path + "/config/config.json") {
            try Installation.install(root: root.path, host: "127.0.0.1", port: 3333, addr: "127.0.0.1", env: "development",
                                     tmpdir: "/tmp", allowNewQueue: true, force: false)
        }
        do {
            let server = try Server(root: root.path)
            try server.run()
        } catch {
            FileHandle.standardError.write(Data("rq-server: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// `rq-server start`: runs `rq-server run` detached, output to log/queuemgr.log.
struct StartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start the server as a background daemon.")
    @OptionGroup var root: RootOption

    func run() throws {
        let pidFile = PidFile(root: root.path)
        if let pid = pidFile.runningPid() {
            print("rq-server already running (pid \(pid))")
            return
        }
        let logPath = root.path + "/log/queuemgr.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let log = FileHandle(forWritingAtPath: logPath) else {
            print("cannot open \(logPath)")
            throw ExitCode(1)
        }
        log.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        if !FileManager.default.isExecutableFile(atPath: process.executableURL!.path) {
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        }
        process.arguments = ["run", "--root", root.path, "--detached"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let started = PidFile.wait(seconds: 15) { pidFile.runningPid() != nil || !process.isRunning }
        guard started, let pid = pidFile.runningPid() else {
            print("rq-server failed to start; see \(logPath)")
            throw ExitCode(1)
        }
        print("rq-server started (pid \(pid))")
    }
}

/// `rq-server stop`: SIGTERM, then waits until the process is gone.
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the background server and wait for it to exit.")
    @OptionGroup var root: RootOption
    @Option(help: "Seconds to wait before sending SIGKILL.") var timeout: Double = 30

    func run() throws {
        let pidFile = PidFile(root: root.path)
        guard let pid = pidFile.runningPid() else {
            print("rq-server not running")
            return
        }
        kill(pid, SIGTERM)
        if !PidFile.wait(seconds: timeout, until: { kill(pid, 0) != 0 }) {
            kill(pid, SIGKILL)
            _ = PidFile.wait(seconds: 5) { kill(pid, 0) != 0 }
        }
        print("rq-server stopped (pid \(pid))")
    }
}

/// `rq-server status`: exit 0 only when running.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Tell whether the server runs (exit 0) or not (exit 1).")
    @OptionGroup var root: RootOption

    func run() throws {
        if let pid = PidFile(root: root.path).runningPid() {
            print("rq-server running (pid \(pid))")
        } else {
            print("rq-server not running")
            throw ExitCode(1)
        }
    }
}
