/// Why a queue script could not be started. Each case carries the errno value.
public enum SpawnError: Error, Equatable, Sendable {
    /// The resolved script is missing (`ENOENT`), not a regular file or not executable
    /// (`EACCES`): the queue goes oper `SCRIPTERROR`.
    case scriptNotExecutable(path: String, errno: Int32)
    case pipe(errno: Int32)
    case openLog(path: String, errno: Int32)
    case duplicateDescriptor(errno: Int32)
    /// `vfork` failed, or the child's setup or `execve` did (the child's errno).
    case spawn(errno: Int32)
    /// Preparing the parent's descriptors failed.
    case setup(step: String, errno: Int32)
}
