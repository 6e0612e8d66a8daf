import Foundation
import Testing

/// `rq-server start`/`status`/`stop` decide "running" by the flock on `config/queuemgr.pid`,
/// not by the pid in it; `start` and `run` explain what stops them (a busy port, another
/// server, no installation) on the terminal.
@Suite struct DaemonLockTests {
    private func installedRoot() throws -> (TempRoot, Int) {
        let dir = try TempRoot()
        let port = try FreePort.find()
        let install = try dir.server("install", "--port", String(port))
        #expect(install.status == 0, "\(install.stdout) \(install.stderr)")
        return (dir, port)
    }

    private func writePidFile(_ dir: TempRoot, _ pid: Int32) throws {
        try "\(pid)\n".write(toFile: dir.path + "/config/queuemgr.pid", atomically: true, encoding: .utf8)
    }

    @Test func aPidFileNamingALiveUnrelatedProcessDoesNotBlockStart() throws {
        let (dir, _) = try installedRoot()
        defer { dir.killRecordedServer() }
        // This test process: alive, unrelated, and a stop that signalled it would end the run.
        let unrelated = getpid()
        try writePidFile(dir, unrelated)

        let before = try dir.server("status")
        #expect(before.status == 1)
        #expect(before.out == "rq-server not running")
        let start = try dir.server("start")
        #expect(start.status == 0, "\(start.stdout) \(start.stderr)")
        let pid = try #require(dir.recordedPid())
        #expect(pid != unrelated)
        #expect(start.out == "rq-server started (pid \(pid))")
        #expect(try dir.server("stop", "--timeout", "8").out == "rq-server stopped (pid \(pid))")
        #expect(!processIsAlive(pid))
    }

    /// A zombie answers `kill(pid, 0)` like a live process; a PID 1 that does not reap
    /// leaves a crashed server in that state forever.
    @Test func aPidFileNamingAZombieDoesNotBlockStart() throws {
        let (dir, _) = try installedRoot()
        defer { dir.killRecordedServer() }
        // A child of this process that exits and is never waited for stays a zombie.
        var zombie: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { free(argv[0]) }
        #expect(posix_spawn(&zombie, "/bin/true", nil, nil, argv, environ) == 0)
        defer { waitpid(zombie, nil, 0) }
        #expect(WorkerTests.waitUntil(timeout: 5, "child became a zombie") {
            kill(zombie, 0) == 0 && !processIsAlive(zombie)
        })
        try writePidFile(dir, zombie)

        #expect(try dir.server("status").status == 1)
        let start = try dir.server("start")
        #expect(start.status == 0, "\(start.stdout) \(start.stderr)")
        let status = try dir.server("status")
        #expect(status.status == 0)
        #expect(status.out == "rq-server running (pid \(try #require(dir.recordedPid())))")
        #expect(try dir.server("stop", "--timeout", "8").status == 0)
    }

    @Test func aRunningServerRefusesASecondStartOrRun() throws {
        let (dir, _) = try installedRoot()
        defer { dir.killRecordedServer() }
        let start = try dir.server("start")
        #expect(start.status == 0, "\(start.stdout) \(start.stderr)")
        let pid = try #require(dir.recordedPid())

        let again = try dir.server("start")
        #expect(again.status == 1)
        #expect(again.out == "rq-server already running (pid \(pid))")
        let run = try dir.server("run")
        #expect(run.status == 1)
        #expect(run.stderr == "rq-server: already running (pid \(pid)) on this root\n")
        let status = try dir.server("status")
        #expect(status.status == 0)
        #expect(status.out == "rq-server running (pid \(pid))")
        #expect(dir.recordedPid() == pid, "a refused start or run must leave the pid file alone")

        #expect(try dir.server("stop", "--timeout", "8").status == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/config/queuemgr.pid"))
    }

    @Test func startOnABusyPortSaysSoOnTheTerminal() throws {
        let (dir, port) = try installedRoot()
        defer { dir.killRecordedServer() }
        let listener = try listeningSocket(port: port)
        defer { close(listener) }

        let start = try dir.server("start")
        #expect(start.status == 1)
        #expect(start.stdout.hasPrefix("rq-server failed to start:\n"), "\(start.stdout)")
        #expect(start.stdout.contains("Address already in use"), "\(start.stdout)")
        #expect(start.stdout.contains("(log: \(dir.path)/log/queuemgr.log)"), "\(start.stdout)")
        let status = try dir.server("status")
        #expect(status.status == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/config/queuemgr.pid"))
    }

    @Test func startAndRunOnARootWithoutInstallationSayHowToInstall() throws {
        let dir = try TempRoot()
        for command in ["start", "run"] {
            let r = try dir.server(command)
            #expect(r.status == 1, "\(command)")
            #expect(r.stderr.contains("no RQ installation in \(dir.path)"), "\(command): \(r.stderr)")
            #expect(r.stderr.contains("rq-server install --root \(dir.path)"), "\(command): \(r.stderr)")
            #expect(r.stderr.contains("rq-server run --root \(dir.path) --install"), "\(command): \(r.stderr)")
        }
        let stop = try dir.server("stop")
        #expect(stop.status == 0)
        #expect(stop.out == "rq-server not running")
    }

    @Test func runInstallTakesTheInstallOptions() throws {
        let dir = try TempRoot()
        let port = try FreePort.find()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Binaries.server)
        server.arguments = ["run", "--root", dir.path, "--install", "--port", String(port), "--host", "rq.example",
                            "--env", "staging", "--no-allow-new-queue"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        #expect(WorkerTests.waitUntil(timeout: 20, "server answers on port \(port)") {
            (try? Command.run("/usr/bin/curl", ["-s", "--max-time", "2", "http://127.0.0.1:\(port)/"]))?
                .stdout.contains("QUEUE MGR is OPERATIONAL") ?? false
        })
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/config/config.json"))
        let config = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(config["port"] as? String == String(port))
        #expect(config["host"] as? String == "rq.example")
        #expect(config["env"] as? String == "staging")
        #expect(config["allow_new_queue"] as? Bool == false)
        server.terminate()
        server.waitUntilExit()

        let misplaced = try dir.server("run", "--port", String(port))
        #expect(misplaced.status != 0)
        #expect(misplaced.stderr.contains("--port only applies with --install"), "\(misplaced.stderr)")
    }
}

/// A socket of this test process listening on 127.0.0.1:`port`, so the server cannot bind it.
private func listeningSocket(port: Int) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw FixtureError.failed("socket") }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    let bound = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(fd, 1) == 0 else {
        close(fd)
        throw FixtureError.failed("bind/listen \(port)")
    }
    return fd
}

