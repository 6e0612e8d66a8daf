/// Where a message is: one directory per state (`done`/`relayed` are hash dirs).
public enum MessageState: String, CaseIterable, Equatable, Sendable {
    case prep
    case que
    case run
    case done
    case relayed
    case err

    /// done/relayed use `YYYYMMDD/HH/MM/<id>` sub-paths.
    public var isHashed: Bool {
        switch self {
        case .done, .relayed: return true
        case .prep, .que, .run, .err: return false
        }
    }
}

/// The end states a running message can reach.
public enum FinalState: String, Equatable, Sendable {
    case done
    case err
    case relayed

    public var state: MessageState {
        switch self {
        case .done: return .done
        case .err: return .err
        case .relayed: return .relayed
        }
    }
}

/// A message's state and directory (`relativePath` is relative to the root, as the `path`
/// field of replies; `path` is absolute).
public struct MessageLocation: Equatable, Sendable {
    public let state: MessageState
    public let relativePath: String
    public let path: String
}
