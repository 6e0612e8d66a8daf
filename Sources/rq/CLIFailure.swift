/// A failure the CLI reports as `fail <reason>` on stdout with exit status 1. The original let
/// these escape as Ruby exceptions (backtrace, exit 1); cli.md §5.1.1 recommends this instead.
struct CLIFailure: Error, Equatable {
    let reason: String

    init(_ reason: String) { self.reason = reason }
}

/// What a command prints on stdout (complete lines) and its exit status.
struct CommandOutput: Equatable {
    let stdout: String
    let exitStatus: Int32

    /// The original's rule for every command: exit 0 iff the reply's first element is "ok".
    static func reply(_ line: String, ok: Bool) -> CommandOutput {
        CommandOutput(stdout: line + "\n", exitStatus: ok ? 0 : 1)
    }
}
