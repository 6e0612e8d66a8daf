import RQStore
/// What a status line asks of the queue (worker-protocol.md §6.4).
public enum StatusCommand: Equatable, Sendable {
    /// An empty or all-whitespace line: the status text becomes null.
    case blank
    /// Progress report.
    case run
    case done
    /// `err` or `fails`.
    case err
    case relayed
    /// `resend <secs>[-<reason>]`: the delay is the integer before the first `-`
    /// (Ruby `to_i`, so non-numeric text means 0).
    case resend(delaySeconds: Int)
    case dup(DupRequest)
    /// Any other word (e.g. `fail`): only the status text changes.
    case unknown(String)
    /// A known command whose text cannot be understood (a `dup` without `<due>-<flag>-<dest>`);
    /// the original crashed on these, the queue replies `fail <reason>` instead.
    case invalid(command: String, reason: String)

    public init(word: String, text: String?) {
        switch word {
        case "run": self = .run
        case "done": self = .done
        case "err", "fails": self = .err
        case "relayed": self = .relayed
        case "resend":
            let delay = text.map { RubyInteger.leadingValue(of: String($0.prefix { $0 != "-" })) }
            self = .resend(delaySeconds: delay ?? 0)
        case "dup":
            switch DupRequest.parse(text) {
            case .success(let request): self = .dup(request)
            case .failure(let problem): self = .invalid(command: word, reason: problem.reason)
            }
        default: self = .unknown(word)
        }
    }

    /// The completion this command records, if it is a terminal one. Only the first
    /// terminal command of a run counts (the owner keeps the first non-nil value).
    public var completion: RecordedCompletion? {
        switch self {
        case .done: return .done
        case .err: return .err
        case .relayed: return .relayed
        case .resend(let delay): return .resend(delaySeconds: delay)
        case .blank, .run, .dup, .unknown, .invalid: return nil
        }
    }
}
