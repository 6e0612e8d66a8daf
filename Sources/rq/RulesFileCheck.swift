import Foundation
import RQStore

/// `verify_rules --path FILE [--verbose]`. The original parsed a Ruby DSL (`rq_router_rules.rb`);
/// this port's router rules are JSON (spec relay.md): an array of objects, each with `match`, a
/// non-empty object whose values are all strings (message field -> pattern), and `dest`, a
/// non-empty string. Other keys (e.g. `desc`) are allowed, so the router may add its own.
struct RulesFileCheck {
    static let badFile = "fail bad router rules file\n"

    func run(_ arguments: LooseArguments) throws(CLIFailure) -> CommandOutput {
        let path = try arguments.requiredString("path")
        let verbose = arguments.has("verbose")
        switch Self.check(path: path) {
        case .success(let rules):
            let listing = verbose ? rules.enumerated().map { Self.describe($0.element, number: $0.offset + 1) }.joined() : ""
            return CommandOutput(stdout: listing + "ok\n", exitStatus: 0)
        case .failure(let problem):
            return CommandOutput(stdout: (verbose ? problem.reason + "\n" : "") + Self.badFile, exitStatus: 1)
        }
    }

    /// A checked rule: its description (or nil), match fields and destination.
    struct Rule: Equatable {
        let description: String?
        let match: [String: String]
        let dest: String
    }

    static func check(path: String) -> Result<[Rule], CLIFailure> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(CLIFailure("\(path): cannot be read"))
        }
        guard case .array(let entries)? = try? JSONValue.parse(data) else {
            return .failure(CLIFailure("\(path): not a JSON array"))
        }
        var rules: [Rule] = []
        for (index, entry) in entries.enumerated() {
            switch rule(entry) {
            case .success(let rule): rules.append(rule)
            case .failure(let problem): return .failure(CLIFailure("rule \(index + 1): \(problem.reason)"))
            }
        }
        return .success(rules)
    }

    private static func rule(_ entry: JSONValue) -> Result<Rule, CLIFailure> {
        guard case .object = entry else { return .failure(CLIFailure("not an object")) }
        guard case .object(let fields)? = entry["match"], !fields.isEmpty else {
            return .failure(CLIFailure("\"match\" must be a non-empty object"))
        }
        var match: [String: String] = [:]
        for (key, value) in fields {
            guard case .string(let pattern) = value else {
                return .failure(CLIFailure("match field \"\(key)\" must be a string"))
            }
            match[key] = pattern
        }
        guard case .string(let dest)? = entry["dest"], !dest.isEmpty else {
            return .failure(CLIFailure("\"dest\" must be a non-empty string"))
        }
        var description: String?
        if case .string(let text)? = entry["desc"] { description = text }
        return .success(Rule(description: description, match: match, dest: dest))
    }

    /// Verbose listing, like the original: the description, `key value` lines, a blank line.
    private static func describe(_ rule: Rule, number: Int) -> String {
        let matchLines = rule.match.keys.sorted().map { "match \($0) \(rule.match[$0] ?? "")\n" }
        return (rule.description ?? "rule \(number)") + "\n" + matchLines.joined() + "dest \(rule.dest)\n\n"
    }
}
