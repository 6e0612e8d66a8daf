import Glibc

/// Variables every spawned child gets (the server's own `PATH`, `HOME`, …), turned into
/// `NAME=value` C strings once instead of once per spawn: with ~60 inherited variables that
/// was a dictionary filter, a sort and ~60 `strdup`s per job (~7 % of the server's CPU while
/// it ran short jobs back to back). A spawn's own variables replace shared ones of the same
/// name. Immutable, freed when the last request holding it is gone.
public final class SharedEnvironment: @unchecked Sendable {
    /// Sorted by name; each C string is owned by this object.
    let entries: [(name: String, entry: UnsafeMutablePointer<CChar>?)]

    public init(_ variables: [String: String]) {
        entries = ProcessSpawner.validVariables(variables).map { ($0.key, strdup($0.key + "=" + $0.value)) }
    }

    deinit {
        entries.forEach { free($0.entry) }
    }

    /// The shared entries a spawn with `own` variables passes on.
    func entries(notIn own: [String: String]) -> [UnsafeMutablePointer<CChar>?] {
        entries.lazy.filter { own[$0.name] == nil }.map(\.entry)
    }
}

extension SharedEnvironment: Equatable {
    public static func == (lhs: SharedEnvironment, rhs: SharedEnvironment) -> Bool { lhs === rhs }
}
