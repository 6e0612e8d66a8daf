/// Admin status: persisted as `config/<queue>.down` / `.pause` marker files.
public enum AdminStatus: String, Equatable, Sendable {
    case up = "UP"
    case down = "DOWN"
    case pause = "PAUSE"
}

/// Oper status, decided by the scheduler (script missing or not executable).
public enum OperStatus: String, Equatable, Sendable {
    case up = "UP"
    case scriptError = "SCRIPTERROR"
}

/// What `status` reports: the oper status when it is not UP, else the admin status.
public enum QueueStatus: String, Equatable, Sendable {
    case up = "UP"
    case down = "DOWN"
    case pause = "PAUSE"
    case scriptError = "SCRIPTERROR"

    public init(admin: AdminStatus, oper: OperStatus) {
        switch (oper, admin) {
        case (.scriptError, _): self = .scriptError
        case (.up, .up): self = .up
        case (.up, .down): self = .down
        case (.up, .pause): self = .pause
        }
    }

    /// May the scheduler start jobs?
    public var isRunnable: Bool { self == .up }
}
