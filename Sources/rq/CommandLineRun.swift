/// From argv to what gets printed: help and usage handling, command lookup, dispatch.
/// Kept free of I/O on stdout/stderr so `main.swift` is only the process boundary.
struct CommandLineRun {
    struct Result: Equatable {
        var stdout = ""
        var stderr = ""
        var exitStatus: Int32
    }

    let environment: [String: String]
    let currentDirectory: String

    func run(_ argv: [String]) -> Result {
        do {
            let (installation, arguments) = try Installation.extract(from: argv, environment: environment)
            return try dispatch(arguments, installation)
        } catch {
            return Result(stdout: "fail \(error.reason)\n", exitStatus: 1)
        }
    }

    private func dispatch(_ arguments: [String], _ installation: Installation) throws(CLIFailure) -> Result {
        let asksHelp = arguments.contains { $0 == "-h" || $0 == "--help" }
        // The original printed the list and exited 1 for no arguments or any -h/--help. Asking
        // for help is not an error, so `rq --help` and `rq help` exit 0; `rq` alone still exits
        // 1, and `rq <command> --help` / `rq help <command>` answer with that command's help.
        guard let name = arguments.first else { return Result(stdout: RqCommand.overview, exitStatus: 1) }
        if name == "-h" || name == "--help" { return Result(stdout: RqCommand.overview, exitStatus: 0) }
        if name == "help" { return help(for: arguments.dropFirst().first) }
        guard let command = RqCommand(rawValue: name) else {
            if asksHelp { return Result(stdout: RqCommand.overview, exitStatus: 1) }
            return Result(stderr: "Command not found: \(name) (cmd_\(name))\n", exitStatus: 1)
        }
        if asksHelp { return Result(stdout: command.help, exitStatus: 0) }
        let options = LooseArguments(Array(arguments.dropFirst()))
        try options.rejectUnknown(command.acceptedOptions, command: name)
        let output = try execute(command, options, installation)
        return Result(stdout: output.stdout, exitStatus: output.exitStatus)
    }

    private func help(for name: String?) -> Result {
        guard let name else { return Result(stdout: RqCommand.overview, exitStatus: 0) }
        guard let command = RqCommand(rawValue: name) else {
            return Result(stderr: "Command not found: \(name) (cmd_\(name))\n", exitStatus: 1)
        }
        return Result(stdout: command.help, exitStatus: 0)
    }

    private func execute(
        _ command: RqCommand, _ options: LooseArguments, _ installation: Installation
    ) throws(CLIFailure) -> CommandOutput {
        switch command {
        case .sendmesg: try MessageCreation(kind: .send, installation: installation).run(options)
        case .prepmesg: try MessageCreation(kind: .prep, installation: installation).run(options)
        case .single_que: try MessageCreation(kind: .singleQue, installation: installation).run(options)
        case .attachmesg: try AttachCommand(installation: installation, currentDirectory: currentDirectory).run(options)
        case .commitmesg: try ExistingMessageCommand(kind: .commit, installation: installation).run(options)
        case .statusmesg: try ExistingMessageCommand(kind: .status, installation: installation).run(options)
        case .state: try ExistingMessageCommand(kind: .state, installation: installation).run(options)
        case .statuscountmesg: try ExistingMessageCommand(kind: .statusCount, installation: installation).run(options)
        case .attachstatusmesg: try ExistingMessageCommand(kind: .attachStatus, installation: installation).run(options)
        case .clone: try ExistingMessageCommand(kind: .clone, installation: installation).run(options)
        case .verify_rules: try RulesFileCheck().run(options)
        }
    }
}
