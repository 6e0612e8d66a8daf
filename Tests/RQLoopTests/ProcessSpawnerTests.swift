import Foundation
import Testing
import TestSupport
@testable import RQLoop

/// Real processes: each test writes a bash script into its own temp dir, spawns it and
/// reaps it by pid (never `reapAll`: tests share one process and must not steal each
/// other's children).
@Suite struct ProcessSpawnerTests {
    @Test func scriptStatusLinesStdoutAndExitCode() throws {
        let fixture = try SpawnFixture()
        defer { fixture.remove() }
        let script = try fixture.script("""
            printf 'run hi\\ndone ok\\n' >&3
            echo "to stdout"
            echo "to stderr" >&2
            """)
        let process = try ProcessSpawner.spawn(fixture.request(script))
        defer { fixture.close(process) }

        #expect(String(decoding: readToEOF(process.statusReadFD), as: UTF8.self) == "run hi\ndone ok\n")
        #expect(waitForExit(process.pid) == .exited(0))
        let log = try String(contentsOfFile: fixture.logPath, encoding: .utf8)
        let header = try #require(log.wholeMatch(of: #/\n(\d+) - [-0-9]{10} [:0-9]{8} [-+]\d{4} - RQ START - ([^\n]*)\n(.*)/#.dotMatchesNewlines()))
        #expect(header.1 == "\(process.pid)")
        #expect(header.2 == script)
        #expect(header.3.contains("to stdout\n"))
        #expect(header.3.contains("to stderr\n"))
    }

    /// `echo` writes the moment it runs: the header must still come first, every time,
    /// because the child writes it before `execve`.
    @Test func headerPrecedesTheFirstByteOfAProgramThatWritesAtOnce() throws {
        for _ in 0..<20 {
            let fixture = try SpawnFixture()
            defer { fixture.remove() }
            var request = fixture.request("/bin/echo")
            request.arguments = ["at once"]
            let process = try ProcessSpawner.spawn(request)
            defer { fixture.close(process) }
            _ = readToEOF(process.statusReadFD)
            #expect(waitForExit(process.pid) == .exited(0))
            let log = try String(contentsOfFile: fixture.logPath, encoding: .utf8)
            let header = try #require(log.wholeMatch(of: #/\n(\d+) - [-0-9]{10} [:0-9]{8} [-+]\d{4} - RQ START - /bin/echo\nat once\n/#))
            #expect(header.1 == "\(process.pid)")
        }
    }

    /// As with the shell prologue before: the run exists once its header is written, so a
    /// program that cannot be exec'd is a run that fails with 127 and says why in its log.
    @Test func failedExecIsARunExitingWith127ThatSaysWhyInItsLog() throws {
        let fixture = try SpawnFixture()
        defer { fixture.remove() }
        let missing = fixture.dir + "/missing-interpreter"
        var request = fixture.request(try fixture.script("echo never"))
        request.executablePath = missing
        let process = try ProcessSpawner.spawn(request)
        defer { fixture.close(process) }
        #expect(readToEOF(process.statusReadFD).isEmpty)
        #expect(waitForExit(process.pid) == .exited(127))
        let log = try String(contentsOfFile: fixture.logPath, encoding: .utf8)
        #expect(log.hasPrefix("\n\(process.pid) - "))
        #expect(log.hasSuffix(" - RQ START - \(request.scriptPath)\nrq-worker: cannot exec \(missing): ENOENT\n"))
    }

    @Test func failedChildSetupIsASpawnErrorWithNoHeader() throws {
        let fixture = try SpawnFixture()
        defer { fixture.remove() }
        var request = fixture.request(try fixture.script("echo never"))
        request.workingDirectory = fixture.dir + "/no-such-job-dir"
        #expect(throws: SpawnError.spawn(errno: ENOENT)) { try ProcessSpawner.spawn(request) }
        #expect(((try? String(contentsOfFile: fixture.logPath, encoding: .utf8)) ?? "").isEmpty)
    }

    @Test func logIsAppendedNotTruncated() throws {
        let fixture = try SpawnFixture()
        defer { fixture.remove() }
        try "earlier run\n".write(toFile: fixture.logPath, atomically: false, encoding: .utf8)
        let process = try ProcessSpawner.spawn(fixture.request(try fixture.script("echo second")))
        defer { fixture.close(process) }
        _ = readToEOF(process.statusReadFD)
        #expect(waitForExit(process.pid) == .exited(0))
        let log = try String(contentsOfFile: fixture.logPath, encoding: .utf8)
        #expect(log.hasPrefix("earlier run\n\n\(process.pid) - "))
        #expect(log.hasSuffix("second\n"))
    }

    @Test func environmentIsExactlyTheGivenOneAndCwdIsTheJobDir() throws {
        let fixture = try SpawnFixture()
        defer { fixture.remove() }
        let script = try fixture.script("""
            echo "foo=$FOO" >&3
            echo "home=${HOME-unset}" >&3
            echo "cwd=$(pwd -P)" >&3
            """)
        var request = fixture.request(script)
        request.environment = ["PATH": "/usr/bin:/bin", "FOO": "bar baz"]
        let process = try ProcessSpawner.spawn(request)
        defer { fixture.close(process) }
        let jobDir = URL(fileURLWithPath: fixture.jobDir).resolvingSymlinksInPath().path
        #expect(String(decoding: readToEOF(process.statusReadFD), as: UTF8.self)
            == "foo=bar baz\nhome=unset\ncwd=\(jobDir)\n")
        #expect(waitForExit(process.pid) == .exited(0))
    }

    /// Shared variables reach the child unless the spawn's own name them: then only the own
    /// value is there, once. `/usr/bin/env` prints the block it was given as is (a shell
    /// would fold a name given twice into one).
    @Test func sharedEnvironmentIsPassedOnUnderTheSpawnsOwnVariables() throws {
        let fixture = try SpawnFixture()
        defer { fixture.remove() }
        let shared = SharedEnvironment(["PATH": "/usr/bin:/bin", "HOME": "/shared/home", "FOO": "shared", "": "x", "A=B": "y"])
        var request = fixture.request("/usr/bin/env")
        request.sharedEnvironment = shared
        request.environment = ["FOO": "own", "BAR": "b"]
        let process = try ProcessSpawner.spawn(request)
        defer { fixture.close(process) }
        _ = readToEOF(process.statusReadFD)
        #expect(waitForExit(process.pid) == .exited(0))
        let log = try String(contentsOfFile: fixture.logPath, encoding: .utf8)
        let printed = log.split(separator: "\n").dropFirst().map(String.init).sorted()
        #expect(printed == ["BAR=b", "FOO=own", "HOME=/shared/home", "PATH=/usr/bin:/bin"])
    }

    @Test func childSeesOnlyDescriptorsZeroToFour() throws {
        let fixture = try SpawnFixture()
        defer { fixture.remove() }
        // A descriptor the server forgot to mark close-on-exec must still not leak.
        let leaky = open("/dev/null", O_RDONLY)
        #expect(leaky >= 5)
        defer { Foundation.close(leaky) }
        let script = try fixture.script("""
            ls /proc/$$/fd >&3
            echo "stdin=$(readlink /proc/$$/fd/0)" >&3
            if read -r line; then echo "read=data" >&3; else echo "read=eof" >&3; fi
            """)
        let process = try ProcessSpawner.spawn(fixture.request(script))
        defer { fixture.close(process) }
        let lines = String(decoding: readToEOF(process.statusReadFD), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        #expect(waitForExit(process.pid) == .exited(0))
        let descriptors = Set(lines.filter { $0.allSatisfy(\.isNumber) })
        // 255 is bash's own (close-on-exec) handle on the script file.
        #expect(descriptors.subtracting(["255"]) == ["0", "1", "2", "3", "4"])
        #expect(!descriptors.contains(String(leaky)))
        #expect(lines.contains("stdin=/dev/null"))
        #expect(lines.contains("read=eof"))
    }

    @Test func replyPipeCarriesALineToTheScript() throws {
        let fixture = try SpawnFixture()
        defer { fixture.remove() }
        let script = try fixture.script("""
            read -r reply <&4
            echo "got $reply" >&3
            """)
        let process = try ProcessSpawner.spawn(fixture.request(script))
        defer { fixture.close(process) }
        #expect(writeNonBlocking(fd: process.replyWriteFD, bytes: Array("ok X\n".utf8)) == .written(5))
        #expect(String(decoding: readToEOF(process.statusReadFD), as: UTF8.self) == "got ok X\n")
        #expect(waitForExit(process.pid) == .exited(0))
    }

    @Test func ownProcessGroupNiceAndGroupKill() throws {
        let fixture = try SpawnFixture()
        defer { fixture.remove() }
        let script = try fixture.script("""
            sleep 0.2
            echo "nice=$(nice)" >&3
            sleep 30
            echo "not reached" >&3
            """)
        let process = try ProcessSpawner.spawn(fixture.request(script))
        defer { fixture.close(process) }
        #expect(String(decoding: readLine(process.statusReadFD), as: UTF8.self) == "nice=19\n")
        #expect(getpgid(process.pid) == process.pid)
        #expect(killProcessGroup(process.pid, signal: SIGTERM))
        // EOF proves `sleep` (which holds fd 3 too) died with its parent.
        #expect(readToEOF(process.statusReadFD, timeout: 5).isEmpty)
        #expect(waitForExit(process.pid) == .signaled(SIGTERM))
    }

    @Test func ignoredSignalsAreResetForTheChild() throws {
        // Like the server: an ignored disposition would survive exec without SETSIGDEF.
        signal(SIGPIPE, SIG_IGN)
        let fixture = try SpawnFixture()
        defer { fixture.remove() }
        // cat itself, not a shell: bash blocks and ignores signals of its own.
        var request = fixture.request("/bin/cat")
        request.arguments = ["/proc/self/status"]
        let process = try ProcessSpawner.spawn(request)
        defer { fixture.close(process) }
        _ = readToEOF(process.statusReadFD)
        #expect(waitForExit(process.pid) == .exited(0))
        let text = try String(contentsOfFile: fixture.logPath, encoding: .utf8)
        var masks: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { masks[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        #expect(masks["SigBlk"] == "0000000000000000")
        let ignored = UInt64(masks["SigIgn"] ?? "", radix: 16) ?? UInt64.max
        // bit n-1 stands for signal n: none of the reset signals may be ignored.
        for signal in [SIGPIPE, SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2] {
            #expect(ignored & (UInt64(1) << UInt64(signal - 1)) == 0, "signal \(signal) ignored")
        }
    }

    @Test func missingOrNonExecutableScriptIsRefusedBeforeSpawning() throws {
        let fixture = try SpawnFixture()
        defer { fixture.remove() }
        let missing = fixture.dir + "/does-not-exist"
        #expect(throws: SpawnError.scriptNotExecutable(path: missing, errno: ENOENT)) {
            try ProcessSpawner.spawn(fixture.request(missing))
        }
        let notExecutable = fixture.dir + "/plain.sh"
        try "#!/bin/sh\n".write(toFile: notExecutable, atomically: false, encoding: .utf8)
        #expect(throws: SpawnError.scriptNotExecutable(path: notExecutable, errno: EACCES)) {
            try ProcessSpawner.spawn(fixture.request(notExecutable))
        }
        #expect(throws: SpawnError.scriptNotExecutable(path: fixture.jobDir, errno: EACCES)) {
            try ProcessSpawner.spawn(fixture.request(fixture.jobDir))
        }
        // With an exec_prefix the shell is exec'd, but the script is what gets checked.
        var viaShell = fixture.request(notExecutable)
        viaShell.executablePath = "/bin/sh"
        viaShell.arguments = ["-c", "bash -lc " + notExecutable]
        #expect(throws: SpawnError.scriptNotExecutable(path: notExecutable, errno: EACCES)) {
            try ProcessSpawner.spawn(viaShell)
        }
    }

    @Test func argumentsReachTheProgramAndArgvZeroIsItsPath() throws {
        let fixture = try SpawnFixture()
        defer { fixture.remove() }
        let script = try fixture.script("""
            echo "0=$0 n=$# 1=$1 2=$2" >&3
            """)
        var request = fixture.request(script)
        request.arguments = ["a b", "$HOME;"]
        let process = try ProcessSpawner.spawn(request)
        defer { fixture.close(process) }
        #expect(String(decoding: readToEOF(process.statusReadFD), as: UTF8.self) == "0=\(script) n=2 1=a b 2=$HOME;\n")
        #expect(waitForExit(process.pid) == .exited(0))
    }

    @Test func unwritableLogFailsBeforeSpawning() throws {
        let fixture = try SpawnFixture()
        defer { fixture.remove() }
        var request = fixture.request(try fixture.script("echo never"))
        request.logPath = fixture.dir + "/no-such-dir/stdio.log"
        #expect(throws: SpawnError.openLog(path: request.logPath, errno: ENOENT)) {
            try ProcessSpawner.spawn(request)
        }
    }

    @Test func groupKillRefusesDangerousIds() {
        #expect(!killProcessGroup(0, signal: 0))
        #expect(!killProcessGroup(1, signal: 0))
        #expect(!killProcessGroup(-5, signal: 0))
    }

    @Test func environmentStringsSkipImpossibleNames() {
        #expect(ProcessSpawner.environmentStrings(["B": "2", "A": "x=y", "": "e", "C=D": "f"]) == ["A=x=y", "B=2"])
    }
}

/// A temp dir with a `job/` dir and a log path; removed by `remove()`.
struct SpawnFixture {
    private let directory: TemporaryDirectory
    let dir: String
    var jobDir: String { dir + "/job" }
    var logPath: String { jobDir + "/stdio.log" }

    init() throws {
        directory = try TemporaryDirectory(prefix: "rq-spawn")
        dir = directory.path
        try FileManager.default.createDirectory(atPath: dir + "/job", withIntermediateDirectories: true)
    }

    /// Writes an executable bash script. The bytes go through `/bin/cp`: a file this process
    /// holds open for writing can be inherited by a child another test is spawning at that
    /// moment, and exec'ing the script would then fail with ETXTBSY.
    func script(_ body: String, name: String = "script.sh") throws -> String {
        let path = dir + "/" + name
        let source = path + ".txt"
        try ("#!/bin/bash\n" + body + "\n").write(toFile: source, atomically: false, encoding: .utf8)
        let copy = try ProcessSpawner.spawn(SpawnRequest(
            executablePath: "/bin/cp", arguments: [source, path], environment: [:],
            workingDirectory: dir, logPath: dir + "/cp.log", scriptPath: "/bin/cp"))
        closeDescriptor(copy.statusReadFD)
        closeDescriptor(copy.replyWriteFD)
        #expect(waitForExit(copy.pid) == .exited(0))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    func request(_ script: String) -> SpawnRequest {
        SpawnRequest(
            executablePath: script, arguments: [],
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"],
            workingDirectory: jobDir, logPath: logPath, scriptPath: script)
    }

    func close(_ process: SpawnedProcess) {
        closeDescriptor(process.statusReadFD)
        closeDescriptor(process.replyWriteFD)
        // Never leave a child behind if an expectation failed half-way.
        if killProcessGroup(process.pid, signal: SIGKILL) { _ = waitForExit(process.pid, timeout: 2) }
    }

    func remove() { directory.remove() }
}

/// Reads a non-blocking descriptor until EOF or the timeout, sleeping in poll(2).
func readToEOF(_ fd: Int32, timeout: Double = 10) -> [UInt8] {
    var collected: [UInt8] = []
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        switch readAvailable(fd: fd) {
        case .data(let bytes): collected += bytes
        case .eof, .failed: return collected
        case .wouldBlock: waitReadable(fd)
        }
    }
    return collected
}

/// Reads until one LF arrived (or the timeout).
func readLine(_ fd: Int32, timeout: Double = 10) -> [UInt8] {
    var collected: [UInt8] = []
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline, !collected.contains(UInt8(ascii: "\n")) {
        switch readAvailable(fd: fd, maxBytes: 1) {
        case .data(let bytes): collected += bytes
        case .eof, .failed: return collected
        case .wouldBlock: waitReadable(fd)
        }
    }
    return collected
}

func waitReadable(_ fd: Int32) {
    var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    _ = poll(&entry, 1, 100)
}

/// Polls `waitpid(pid, WNOHANG)` until the child is reaped or the timeout passes.
func waitForExit(_ pid: Int32, timeout: Double = 10) -> RQLoop.ExitStatus? {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
        if let reaped = ChildReaper.reap(matching: pid).first { return reaped.exit }
        usleep(10_000)
    } while Date() < deadline
    return nil
}
