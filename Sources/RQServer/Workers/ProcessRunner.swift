import Foundation
import Logging
import RQLoop
import RQStore

/// Runs messages as queue scripts: one process (and process group) per message, spawned as
/// worker-protocol.md §6.2 says, reaped on SIGCHLD.
///
/// What a script leaves behind ends with it: its process group is killed when it exits, and
/// because the server is the child subreaper, processes that escaped the group (`setsid`) are
/// re-parented to the server when their parent dies; each carries `RQ_FULL_MSG_ID` in its
/// environment, and is killed once that message no longer runs.
final class ProcessRunner: Runner {
    static let runTag = "RQ_FULL_MSG_ID"
    let loop: EventLoop
    let root: String
    let logger: Logger
    /// Live scripts by pid.
    private var processes: [Int32: ProcessRun] = [:]
    /// `RQ_FULL_MSG_ID` of each live script, by pid.
    private var tags: [Int32: String] = [:]
    private var childWatcher: SignalWatcher?
    /// The server's own environment, read once: nothing in the server changes it, and
    /// `ProcessInfo.environment` rebuilds the dictionary from `environ` on every call
    /// (~0.1 ms per job).
    private let inherited = ProcessInfo.processInfo.environment
    /// `inherited` as scripts get it, in C strings ready for every spawn.
    private let shared: SharedEnvironment

    init(loop: EventLoop, root: String, logger: Logger) throws {
        self.loop = loop
        self.root = root
        self.logger = logger
        shared = SharedEnvironment(WorkerEnvironment.inheritable(inherited))
        childWatcher = try SignalWatcher(loop: loop, signal: SIGCHLD) { [unowned self] in self.reapChildren() }
        if !ChildSubreaper.become() { logger.warning("not a child subreaper: processes that leave a script's group outlive it") }
    }

    func unavailableReason(for store: QueueStore) -> String? {
        guard ScriptResolver.resolve(store.config.script, root: root) == nil else { return nil }
        return "script \(store.config.script) missing or not executable"
    }

    func start(_ job: RunJob, reporting: RunReporting) throws(RunStartFailure) -> RunHandle {
        let store = job.store
        guard let script = ScriptResolver.resolve(store.config.script, root: root) else {
            throw RunStartFailure(description: "script missing")
        }
        let command = WorkerCommandLine.make(execPrefix: store.config.execPrefix, scriptPath: script)
        let request = SpawnRequest(executablePath: command.executablePath, arguments: command.arguments,
                                   environment: ownEnvironment(job, script: script),
                                   workingDirectory: job.jobDirectory, logPath: job.logPath, scriptPath: script,
                                   sharedEnvironment: shared)
        let spawned: SpawnedProcess
        do { spawned = try ProcessSpawner.spawn(request) } catch { throw RunStartFailure(description: "\(error)") }
        let run = ProcessRun(loop: loop, spawned: spawned, reporting: reporting)
        processes[run.processID] = run
        tags[run.processID] = job.store.fullID(job.msgID)
        do { try run.watch() } catch {
            logger.error("cannot watch status pipe of \(job.msgID): \(error)")
            run.closePipes()
        }
        return run
    }

    /// The run's own variables; the inherited ones come from `shared`.
    private func ownEnvironment(_ job: RunJob, script: String) -> [String: String] {
        let store = job.store
        let message = job.message
        let rootConfig = store.rootConfig
        var envVars: [String: String] = [:]
        for (key, value) in store.config.envVars { envVars[key] = value.stringValue ?? value.compactString }
        return WorkerEnvironment(
            inherited: inherited, rqEnv: rootConfig.env, tmpdir: rootConfig.tmpdir,
            host: rootConfig.host, port: String(rootConfig.port), relativeRoot: rootConfig.relativeRoot,
            script: store.config.script, resolvedScript: script, dest: message.dest,
            shortId: message.msgID, fullId: store.fullID(message.msgID), jobDirectory: job.jobDirectory,
            count: message.count, params: (1...4).map { message.param($0) == nil ? nil : message.paramText($0) },
            origMsgId: message.origMsgID, forceRemote: message.isForceRemote, envVars: envVars
        ).ownVariables()
    }

    private func reapChildren() {
        let reaped = ChildReaper.reapAll()
        for (pid, exit) in reaped {
            tags.removeValue(forKey: pid)
            processes.removeValue(forKey: pid)?.exited(exit)
        }
        // After the scheduler's pass that the exits queued: the next script starts first.
        if !reaped.isEmpty { loop.runLaterThisTurn { [weak self] in self?.endOrphans() } }
    }

    /// Adopted processes whose message no longer runs. Their own children are adopted in turn
    /// when they die, and ended by the next pass.
    private func endOrphans() {
        let live = Set(tags.values)
        for pid in ChildSubreaper.children() where processes[pid] == nil {
            guard let tag = ChildSubreaper.environmentValue(Self.runTag, of: pid), !live.contains(tag) else { continue }
            ChildSubreaper.end(pid)
        }
    }

    /// On shutdown: SIGTERM every script, wait a bounded time, SIGKILL the rest. Their
    /// messages stay in `run/`; start-up recovery queues them again.
    func stopAll(grace: Double) {
        guard !processes.isEmpty else { return }
        for pid in processes.keys { killProcessGroup(pid, signal: SIGTERM) }
        let deadline = Date().addingTimeInterval(grace)
        var alive = Set(processes.keys)
        while !alive.isEmpty, Date() < deadline {
            for (pid, _) in ChildReaper.reapAll() { alive.remove(pid) }
            if !alive.isEmpty { usleep(20_000) }
        }
        for pid in alive { killProcessGroup(pid, signal: SIGKILL) }
        for run in processes.values { run.closePipes() }
        processes.removeAll()
        tags.removeAll()
        endOrphans()
    }
}
