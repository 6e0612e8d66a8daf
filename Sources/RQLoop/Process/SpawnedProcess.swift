/// A running queue script as the server sees it. The two descriptors are the parent's ends
/// of the pipes, both non-blocking and close-on-exec; the owner closes them (see
/// `closeDescriptor`) once the worker is finished.
public struct SpawnedProcess: Sendable, Equatable {
    /// Also the process group id: every script is the leader of its own group.
    public let pid: Int32
    /// Read end of the status pipe (the child's fd 3).
    public let statusReadFD: Int32
    /// Write end of the reply pipe (the child's fd 4).
    public let replyWriteFD: Int32

    public init(pid: Int32, statusReadFD: Int32, replyWriteFD: Int32) {
        self.pid = pid
        self.statusReadFD = statusReadFD
        self.replyWriteFD = replyWriteFD
    }
}
