import RQLoop

/// Where a message goes when its script has exited and its status pipe is drained.
public enum CompletionOutcome: Equatable, Sendable {
    /// To the done hash dir; the status file keeps the last line's text.
    case done
    /// To the relayed hash dir; the status file keeps the last line's text.
    case relayed
    /// To `err/`. A non-nil `statusOverride` replaces the status text before the move;
    /// nil leaves the last line's text (or no status file) as it is.
    case err(statusOverride: String?)
    /// Back to `que/` with `due = now + delaySeconds` (the count was already raised when
    /// the `resend` line arrived); the status file is unchanged.
    case requeue(delaySeconds: Int)

    /// Where the message goes, as a state name (the `state` label of /metrics).
    var finalStateName: String {
        switch self {
        case .done: return "done"
        case .relayed: return "relayed"
        case .err: return "err"
        case .requeue: return "que"
        }
    }
}

/// worker-protocol.md §6.5 as one pure function.
public enum CompletionRule {
    public static let maxResendStatus = "HIT MAX RESEND COUNT - MOVING TO ERR"

    /// - Parameters:
    ///   - recorded: the first terminal command of this run, nil if none came.
    ///   - exit: how the script process ended; `pid` is only for the message text.
    ///   - count: the message's count after this run's `resend` increments.
    ///   - maxCount: the message's `max_count` (the caller applies the default).
    public static func outcome(
        recorded: RecordedCompletion?, exit: ExitStatus, pid: Int32, count: Int, maxCount: Int
    ) -> CompletionOutcome {
        if recorded == .err { return .err(statusOverride: nil) }
        guard exit.isSuccess else {
            return .err(statusOverride: improperExitStatus(recorded: recorded, exit: exit, pid: pid))
        }
        switch recorded {
        case .done: return .done
        case .relayed: return .relayed
        case .err: return .err(statusOverride: nil)
        case .resend(let delay):
            return count >= maxCount ? .err(statusOverride: maxResendStatus) : .requeue(delaySeconds: delay)
        case nil: return .err(statusOverride: nil)
        }
    }

    /// `PROCESS EXITED IMPROPERLY - MOVING TO ERR - Completion was <x> but exit status was <desc>`
    /// where `<x>` is the recorded command's name, or `none` when the script (one destroyed,
    /// one that crashed) sent no terminal command; the original printed an empty value there.
    public static func improperExitStatus(recorded: RecordedCompletion?, exit: ExitStatus, pid: Int32) -> String {
        "PROCESS EXITED IMPROPERLY - MOVING TO ERR - Completion was \(recorded?.name ?? "none")"
            + " but exit status was \(ExitDescription.ruby(exit, pid: pid))"
    }
}
