import RQStore

/// `verify_rules --path FILE [--verbose]`: checks a router rules file with the parser the
/// server's rq_router uses (`RouterRules`, JSON; spec relay.md allows JSON instead of the
/// original's Ruby DSL).
struct RulesFileCheck {
    static let badFile = "fail bad router rules file\n"

    func run(_ arguments: LooseArguments) throws(CLIFailure) -> CommandOutput {
        let path = try arguments.requiredString("path")
        let verbose = arguments.has("verbose")
        do {
            let rules = try RouterRules.load(path: path)
            let listing = verbose ? rules.rules.enumerated().map { $0.element.listing(number: $0.offset + 1) }.joined() : ""
            return CommandOutput(stdout: listing + "ok\n", exitStatus: 0)
        } catch {
            return CommandOutput(stdout: (verbose ? error.reason + "\n" : "") + Self.badFile, exitStatus: 1)
        }
    }
}
