import ArgumentParser

/// `rq-server`: the operator's interface. Subcommand names are fixed: scripts and the
/// test harness call them.
struct RQServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rq-server",
        abstract: "RQ queue server: a per-machine queueing and job-running daemon.",
        subcommands: [InstallCommand.self, RunCommand.self, StartCommand.self, StopCommand.self, StatusCommand.self]
    )
}

RQServerCommand.main()
