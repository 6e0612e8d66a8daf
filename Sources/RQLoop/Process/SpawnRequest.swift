/// Everything needed to start one queue script; built by the server from the queue config
/// and the message (see RQServer's `WorkerCommandLine` and `WorkerEnvironment`).
public struct SpawnRequest: Sendable, Equatable {
    /// Absolute path of the program (no `PATH` search); it also becomes argv[0]. The
    /// resolved script for a direct exec, `/bin/sh` when an `exec_prefix` is used.
    public var executablePath: String
    /// The arguments after argv[0].
    public var arguments: [String]
    /// The child's own variables; nothing is inherited implicitly.
    public var environment: [String: String]
    /// Variables shared by many spawns, passed on unless `environment` names them too.
    public var sharedEnvironment: SharedEnvironment?
    /// The child's cwd: the message's `job/` directory.
    public var workingDirectory: String
    /// `job/stdio.log`: opened `O_APPEND|O_CREAT`, becomes the child's fds 1 and 2.
    public var logPath: String
    /// The resolved script: must be an executable regular file (checked even when an
    /// `exec_prefix` runs it), and is named in the log's `RQ START` header line.
    public var scriptPath: String
    /// Absolute nice value applied right after the spawn.
    public var niceness: Int32

    public init(
        executablePath: String,
        arguments: [String],
        environment: [String: String],
        workingDirectory: String,
        logPath: String,
        scriptPath: String,
        sharedEnvironment: SharedEnvironment? = nil,
        niceness: Int32 = 19
    ) {
        self.executablePath = executablePath
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.logPath = logPath
        self.scriptPath = scriptPath
        self.sharedEnvironment = sharedEnvironment
        self.niceness = niceness
    }
}
