/// The first terminal command a script sent during one run. Reset at every job start.
public enum RecordedCompletion: Equatable, Sendable {
    case done
    /// `err` or `fails`.
    case err
    case relayed
    case resend(delaySeconds: Int)

    /// The word the original printed in `Completion was <x>` (its symbol's name).
    public var name: String {
        switch self {
        case .done: return "done"
        case .err: return "err"
        case .relayed: return "relayed"
        case .resend: return "resend"
        }
    }
}
