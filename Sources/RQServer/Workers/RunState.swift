import RQLoop

/// What happens to a run, from any runner: its status lines, the end of its output, its
/// exit, its timeout, a request to stop it.
public enum RunInput: Equatable, Sendable {
    /// Lines that arrived together; their last text is recorded once.
    case lines([StatusLineParser.Line])
    case outputEnded
    case exited(ExitStatus)
    case timedOut(seconds: Double)
    /// destroy_message, the queue being deleted.
    case stopRequested
}

/// What the owner of a run must do, in order.
public enum RunAction: Equatable, Sendable {
    /// The message's `job_status` becomes this text (`""` for a line without text).
    case recordStatus(String)
    case duplicate(DupRequest)
    /// An immediate answer on the reply channel (a `dup` that could not be understood).
    case reply(DupReply)
    case warn(String)
    case note(String)
    /// End the run (SIGTERM; the owner escalates after a grace period).
    case stop
    /// The run is over: move the message. `count` is the stored count plus this run's resends.
    case finish(CompletionOutcome, count: Int)
}

/// One run's life as a pure value (worker-protocol.md §6.4–6.5), tested without a loop or a
/// process. A run finishes only when both its output has ended and its exit is known; the two
/// arrive in either order (DESIGN.md "Reaping").
public struct RunState: Equatable, Sendable {
    public enum Phase: Equatable, Sendable {
        case running
        /// The server ends the run; a reason replaces the final status (a timeout).
        case stopping(reason: String?)
        case finished
    }

    public private(set) var phase: Phase = .running
    public private(set) var recorded: RecordedCompletion?
    public private(set) var count: Int
    public private(set) var outputOpen = true
    public private(set) var exit: ExitStatus?
    let maxCount: Int
    /// Only for the improper-exit text.
    let pid: Int32

    public init(count: Int, maxCount: Int, pid: Int32) {
        self.count = count
        self.maxCount = maxCount
        self.pid = pid
    }

    public mutating func handle(_ input: RunInput) -> [RunAction] {
        guard phase != .finished else { return [] }
        switch input {
        case .lines(let lines):
            return read(lines)
        case .outputEnded:
            outputOpen = false
            return finishIfComplete()
        case .exited(let status):
            exit = status
            return finishIfComplete()
        case .timedOut(let seconds):
            return stop(reason: "TIMEOUT - script ran longer than \(Self.describe(seconds: seconds)) seconds - killed")
        case .stopRequested:
            return stop(reason: nil)
        }
    }

    /// `Int(exactly:)`: a huge configured timeout (1e300) must print, not trap.
    static func describe(seconds value: Double) -> String {
        Int(exactly: value).map(String.init) ?? String(value)
    }

    private mutating func stop(reason: String?) -> [RunAction] {
        switch phase {
        case .running:
            // Already ended: nothing to stop, and its own outcome stands.
            guard exit == nil else { return [] }
            phase = .stopping(reason: reason)
            return [.stop]
        case .stopping(let earlier):
            // The first reason stays; a later one only fills a missing one.
            phase = .stopping(reason: earlier ?? reason)
            return []
        case .finished:
            return []
        }
    }

    private mutating func read(_ lines: [StatusLineParser.Line]) -> [RunAction] {
        var actions: [RunAction] = []
        var lastText: String??
        for line in lines {
            if line.droppedByteCount > 0 {
                actions.append(.warn("status line over \(line.text.utf8.count) bytes truncated"))
            }
            let report = StatusReport(parsing: line.text)
            if recorded == nil { recorded = report.command.completion }
            switch report.command {
            case .blank, .run, .done, .err, .relayed:
                break
            case .resend:
                count += 1
            case .dup(let request):
                actions.append(.duplicate(request))
            case .unknown(let word):
                actions.append(.note("unknown status command '\(word)' (text recorded)"))
            case .invalid(let command, let reason):
                actions.append(.warn("invalid '\(command)' line: \(reason)"))
                if command == "dup" { actions.append(.reply(.fail(reason: reason))) }
            }
            lastText = .some(report.text)
        }
        // One status write per batch: what anyone can observe is the same.
        if let text = lastText { actions.append(.recordStatus(text ?? "")) }
        return actions
    }

    private mutating func finishIfComplete() -> [RunAction] {
        guard let exit, !outputOpen else { return [] }
        var outcome = CompletionRule.outcome(recorded: recorded, exit: exit, pid: pid, count: count, maxCount: maxCount)
        if case .stopping(let reason?) = phase { outcome = .err(statusOverride: reason) }
        phase = .finished
        return [.finish(outcome, count: count)]
    }
}
