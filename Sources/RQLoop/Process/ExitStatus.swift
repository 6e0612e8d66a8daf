internal import CEvent

/// How a reaped child ended.
public enum ExitStatus: Equatable, Hashable, Sendable {
    case exited(Int32)
    case signaled(Int32)

    /// Decodes a `waitpid` status word (the `W*` macros are shims in CEvent.h). Stopped or
    /// continued children are never reported because nobody asks with `WUNTRACED`, so the
    /// remaining case can only be a normal exit.
    init(waitStatus: Int32) {
        if rq_wifsignaled(waitStatus) != 0 {
            self = .signaled(rq_wtermsig(waitStatus))
        } else {
            self = .exited(rq_wexitstatus(waitStatus))
        }
    }

    public var isSuccess: Bool { self == .exited(0) }
}

/// `SIGTERM` for 15, nil for numbers without a name (real-time signals). Used to phrase
/// exit descriptions the way the original's Ruby `Process::Status#to_s` did.
public func signalName(_ signal: Int32) -> String? {
    guard let abbreviation = sigabbrev_np(signal) else { return nil }
    return "SIG" + String(cString: abbreviation)
}
