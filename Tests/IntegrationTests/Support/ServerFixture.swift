import Foundation
import TestSupport

/// A real `rq-server` in a fresh temp root on a free loopback port.
final class ServerFixture {
    private let directory: TemporaryDirectory
    let root: String
    let port: Int
    private(set) var process: Process?

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The server's stdout and stderr.
    let logPath: String

    /// `parent`: where the root is made (a test's own file system; the log then stays in the
    /// temp dir so that it survives that file system filling up); the temp dir if nil.
    init(installArgs: [String] = [], parent: String? = nil) throws {
        directory = try TemporaryDirectory(prefix: "rq-it")
        if let parent {
            root = parent + "/rq-it-root"
            logPath = directory.path + "/test-server.log"
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } else {
            root = directory.path
            logPath = root + "/log/test-server.log"
        }
        port = try FreePort.find()
        let install = try Command.run(Binaries.server, ["install", "--root", root, "--port", String(port)] + installArgs)
        guard install.status == 0 else { throw FixtureError.failed("install: \(install.stdout) \(install.stderr)") }
        try start()
    }

    /// Shell commands run before the server is exec'd (e.g. `ulimit -Sn 256`); nil: started directly.
    var launchShellPrefix: String?

    func start() throws {
        let process = Process()
        if let launchShellPrefix {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "\(launchShellPrefix); exec \"$0\" run --root \"$1\"", Binaries.server, root]
        } else {
            process.executableURL = URL(fileURLWithPath: Binaries.server)
            process.arguments = ["run", "--root", root]
        }
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let handle = FileHandle(forWritingAtPath: logPath)
        handle?.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        try waitUntilServing()
    }

    private func waitUntilServing() throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let process, !process.isRunning { throw FixtureError.failed("server exited: \(logText())") }
            if let r = try? curl(["-o", "/dev/null", "-w", "%{http_code}", baseURL + "/"]), r.stdout == "200",
               FileManager.default.fileExists(atPath: root + "/config/queuemgr.sock") {
                return
            }
            usleep(50_000)
        }
        throw FixtureError.failed("server did not come up: \(logText())")
    }

    func logText() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Stops the server with `signal` and waits for it to exit.
    func stop(signal: Int32 = SIGTERM) {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        self.process = nil
    }

    func restart(signal: Int32 = SIGTERM) throws {
        stop(signal: signal)
        try start()
    }

    @discardableResult
    func curl(_ args: [String]) throws -> CommandResult {
        try Command.run("/usr/bin/curl", ["-s", "--max-time", "20"] + args)
    }

    /// `curl` returning (HTTP status, body).
    func http(_ path: String, _ args: [String] = []) throws -> (status: Int, body: String) {
        let marker = "\n--rq-status:"
        let r = try curl(args + ["-w", marker + "%{http_code}", baseURL + path])
        guard let range = r.stdout.range(of: marker, options: .backwards) else { return (0, r.stdout) }
        return (Int(r.stdout[range.upperBound...]) ?? 0, String(r.stdout[..<range.lowerBound]))
    }

    /// The `rq` CLI run from the installation root.
    func rq(_ args: [String]) throws -> CommandResult {
        try Command.run(Binaries.cli, args, cwd: root, environment: ["RQ_ROOT": root])
    }

    /// One rq1 request over a Unix socket (relative to the root), like the original clients.
    func rq1(_ socket: String, _ payload: String) throws -> String {
        try Rq1TestClient.request(path: root + "/" + socket, payload: payload)
    }

    deinit {
        stop(signal: SIGKILL)
    }
}

enum FixtureError: Error { case failed(String) }
