import Glibc
internal import CEvent
internal import CSpawn

/// Starts queue scripts with `vfork`+`execve` in C (`rq_spawn_with_header`; never `fork`
/// from Swift: the child of a multi-threaded Swift process may only call
/// async-signal-safe functions), laid out as
/// worker-protocol.md §6.2 and DESIGN.md "Workers" require:
/// fd 0 `/dev/null`, fds 1+2 `stdio.log` (append), fd 3 status pipe (write end),
/// fd 4 reply pipe (read end), nothing else; cwd `job/`; own process group; default signal
/// dispositions and an empty mask; nice 19. The child writes the `RQ START` header itself
/// just before `execve` (see `SpawnLogHeader`), so no shell is started per job.
public enum ProcessSpawner {
    /// Child-side descriptors are moved at or above this number before being `dup2`ed
    /// onto 1..4, so no `dup2` can overwrite a descriptor a later step still needs.
    private static let childDescriptorFloor: Int32 = 10

    public static func spawn(_ request: SpawnRequest) throws(SpawnError) -> SpawnedProcess {
        try checkExecutable(request.scriptPath)
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        // The parent's copies of the child's ends are closed in every case; its own ends
        // only when spawning fails.
        defer { childEnds.forEach { closeDescriptor($0) } }
        do throws(SpawnError) {
            let status = try makePipe()
            parentEnds.append(status.read)
            childEnds.append(status.write)
            let reply = try makePipe()
            parentEnds.append(reply.write)
            childEnds.append(reply.read)
            let log = open(request.logPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard log >= 0 else { throw .openLog(path: request.logPath, errno: errno) }
            childEnds.append(log)

            let statusWrite = try moveAboveFloor(&childEnds[0])
            let replyRead = try moveAboveFloor(&childEnds[1])
            let logFD = try moveAboveFloor(&childEnds[2])
            try setNonBlocking(status.read)
            try setNonBlocking(reply.write)

            let pid = try launch(request, log: logFD, statusWrite: statusWrite, replyRead: replyRead)
            return SpawnedProcess(pid: pid, statusReadFD: status.read, replyWriteFD: reply.write)
        } catch {
            parentEnds.forEach { closeDescriptor($0) }
            throw error
        }
    }

    private static func launch(
        _ request: SpawnRequest, log: Int32, statusWrite: Int32, replyRead: Int32
    ) throws(SpawnError) -> Int32 {
        let argv = CStringArray([request.executablePath] + request.arguments)
        let own = CStringArray(environmentStrings(request.environment))
        let shared = request.sharedEnvironment
        let envp = (shared?.entries(notIn: request.environment) ?? []) + own.pointers
        let tail = SpawnLogHeader.tail(epochSeconds: time(nil), scriptPath: request.scriptPath)
        // The strings must outlive the call, not just the last mention of the arrays.
        let result = withExtendedLifetime((argv, own, shared)) {
            tail.withCString { tailBytes in
                rq_spawn_with_header(
                    request.executablePath, argv.pointers, envp,
                    log, statusWrite, replyRead, request.workingDirectory, request.niceness,
                    tailBytes, strlen(tailBytes))
            }
        }
        guard result > 0 else { throw .spawn(errno: -result) }
        return result
    }

    /// worker-protocol.md §6.2: executability is checked on the resolved script even when
    /// an `exec_prefix` (a shell) is what actually gets exec'd.
    private static func checkExecutable(_ path: String) throws(SpawnError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .scriptNotExecutable(path: path, errno: errno) }
        guard info.st_mode & S_IFMT == S_IFREG, access(path, X_OK) == 0 else {
            throw .scriptNotExecutable(path: path, errno: EACCES)
        }
    }

    /// `KEY=VALUE` entries; names that cannot be environment names (empty, or holding `=`)
    /// are left out instead of producing a corrupt entry.
    /// The `=` test looks at the bytes: `String.contains("=")` resolves to Foundation's
    /// locale-aware search, which cost ~0.1 ms per job with ~60 variables.
    static func environmentStrings(_ environment: [String: String]) -> [String] {
        validVariables(environment).map { $0.key + "=" + $0.value }
    }

    /// The variables whose names can be environment names, sorted by name.
    static func validVariables(_ environment: [String: String]) -> [(key: String, value: String)] {
        environment
            .filter { !$0.key.isEmpty && !$0.key.utf8.contains(UInt8(ascii: "=")) }
            .sorted { $0.key < $1.key }
    }

    private static func makePipe() throws(SpawnError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe2(&fds, O_CLOEXEC) == 0 else { throw .pipe(errno: errno) }
        return (fds[0], fds[1])
    }

    /// Replaces `fd` with a close-on-exec duplicate numbered >= the floor.
    private static func moveAboveFloor(_ fd: inout Int32) throws(SpawnError) -> Int32 {
        let moved = fcntl(fd, F_DUPFD_CLOEXEC, childDescriptorFloor)
        guard moved >= 0 else { throw .duplicateDescriptor(errno: errno) }
        closeDescriptor(fd)
        fd = moved
        return moved
    }

    /// Only on the parent's ends: O_NONBLOCK lives in the shared file description, so
    /// setting it on a child's end would change what the script sees.
    private static func setNonBlocking(_ fd: Int32) throws(SpawnError) {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw .setup(step: "O_NONBLOCK", errno: errno)
        }
    }

}
