import Foundation
import Testing
import TestSupport
@testable import RQLoop
@testable import RQServer

/// The example scripts run for real: spawned like the server will spawn them, their status
/// lines parsed with the server's parser, `dup` answered on fd 4, the outcome decided by
/// the completion rule.
@Suite struct WorkerExamplesTests {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    static func onPath(_ program: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(program)") }
    }

    struct Run {
        var reports: [StatusReport] = []
        var exit: RQLoop.ExitStatus?
        var outcome: CompletionOutcome?
        var log = ""
    }

    /// Spawns `script`, answers a `dup` with `dupReply`, collects everything until exit.
    func run(_ script: String, execPrefix: String? = "", param1: String, param2: String? = nil,
             count: Int = 0, dupReply: DupReply = .ok(fullId: "http://127.0.0.1:3333/q/other/1")) throws -> Run {
        let scratch = try TemporaryDirectory(prefix: "rq-example")
        let dir = scratch.path
        let jobDir = dir + "/job"
        try FileManager.default.createDirectory(atPath: jobDir, withIntermediateDirectories: true)
        defer { withExtendedLifetime(scratch) {} }

        let scriptPath = Self.examples.appendingPathComponent(script).path
        let environment = WorkerEnvironment(
            inherited: ProcessInfo.processInfo.environment, rqEnv: "test", tmpdir: nil,
            host: "127.0.0.1", port: "3333", relativeRoot: nil, script: "examples/" + script,
            resolvedScript: scriptPath, dest: "test", shortId: "20240105.1307.22.123.4456712",
            fullId: "http://127.0.0.1:3333/q/test/20240105.1307.22.123.4456712", jobDirectory: jobDir,
            count: count, params: [param1, param2], origMsgId: nil, forceRemote: false, envVars: [:])
        let command = WorkerCommandLine.make(execPrefix: execPrefix, scriptPath: scriptPath)
        let process = try ProcessSpawner.spawn(SpawnRequest(
            executablePath: command.executablePath, arguments: command.arguments,
            environment: environment.variables(), workingDirectory: jobDir,
            logPath: jobDir + "/stdio.log", scriptPath: scriptPath))
        defer {
            closeDescriptor(process.statusReadFD)
            closeDescriptor(process.replyWriteFD)
        }

        var result = Run()
        var parser = StatusLineParser()
        var recorded: RecordedCompletion?
        func handle(_ line: StatusLineParser.Line) {
            let report = StatusReport(parsing: line.text)
            result.reports.append(report)
            if recorded == nil { recorded = report.command.completion }
            if case .dup = report.command {
                _ = writeNonBlocking(fd: process.replyWriteFD, bytes: Array(dupReply.line.utf8))
            }
        }
        let deadline = Date().addingTimeInterval(20)
        reading: while Date() < deadline {
            switch readAvailable(fd: process.statusReadFD) {
            case .data(let bytes): parser.feed(bytes).forEach(handle)
            case .wouldBlock:
                var entry = pollfd(fd: process.statusReadFD, events: Int16(POLLIN), revents: 0)
                _ = poll(&entry, 1, 100)
            case .eof, .failed: break reading
            }
        }
        parser.finish().map(handle)
        while Date() < deadline, result.exit == nil {
            result.exit = ChildReaper.reap(matching: process.pid).first?.exit
            if result.exit == nil { usleep(10_000) }
        }
        if let exit = result.exit {
            // The server raises count when the `resend` line arrives.
            let resends = result.reports.filter { if case .resend = $0.command { true } else { false } }.count
            result.outcome = CompletionRule.outcome(recorded: recorded, exit: exit, pid: process.pid,
                                                    count: count + resends, maxCount: 15)
        } else {
            killProcessGroup(process.pid, signal: SIGKILL)
        }
        result.log = (try? String(contentsOfFile: jobDir + "/stdio.log", encoding: .utf8)) ?? ""
        return result
    }

    static let interpreters: [(script: String, program: String)] = [
        ("queue_script.sh", "bash"), ("queue_script.py", "python3"), ("queue_script.rb", "ruby"),
    ]

    @Test(arguments: interpreters)
    func progressThenDone(script: String, program: String) throws {
        try #require(Self.onPath(program), "\(program) is not installed")
        let result = try run(script, param1: "")
        #expect(result.exit == .exited(0))
        #expect(result.outcome == .done)
        #expect(result.reports.map(\.command) == [.run, .run, .run, .run, .done])
        #expect(result.reports.first?.text == "started 20240105.1307.22.123.4456712 (count 0)")
        #expect(result.reports.last?.text == "all 3 steps done")
        #expect(result.log.contains("RQ START - \(Self.examples.appendingPathComponent(script).path)\n"))
        #expect(result.log.contains("working on step 3\n"))
    }

    @Test(arguments: interpreters)
    func errAndResend(script: String, program: String) throws {
        try #require(Self.onPath(program), "\(program) is not installed")
        let failed = try run(script, param1: "err")
        #expect(failed.outcome == .err(statusOverride: nil))
        #expect(failed.reports.last == StatusReport(command: .err, text: "failed on purpose (param1=err)"))
        let resent = try run(script, param1: "resend", count: 0)
        #expect(resent.outcome == .requeue(delaySeconds: 5))
        let second = try run(script, param1: "resend", count: 1)
        #expect(second.outcome == .done)
    }

    @Test(arguments: interpreters)
    func dupReadsTheReplyOnFdFour(script: String, program: String) throws {
        try #require(Self.onPath(program), "\(program) is not installed")
        let copied = try run(script, param1: "dup", param2: "other")
        #expect(copied.outcome == .done)
        #expect(copied.reports.contains(StatusReport(command: .dup(DupRequest(delaySeconds: 0, flag: "X", destination: "other")), text: "0-X-other")))
        #expect(copied.reports.contains(StatusReport(command: .run, text: "copied to http://127.0.0.1:3333/q/other/1")))
        let refused = try run(script, param1: "dup", param2: "nope", dupReply: .fail(reason: "couldn't connect to queue - nope"))
        #expect(refused.outcome == .err(statusOverride: nil))
        #expect(refused.reports.last?.text == "dup refused: fail couldn't connect to queue - nope")
    }

    @Test func execPrefixRunsTheScriptThroughTheShell() throws {
        let result = try run("queue_script.sh", execPrefix: "bash -c", param1: "")
        #expect(result.outcome == .done)
        #expect(result.reports.count == 5)
    }
}
