import RQStore

/// The option syntax of the original `bin/rq` (cli.md §5.1.1), reproduced exactly.
///
/// Hand-written rather than swift-argument-parser because the original's rules do not fit it:
/// any argument that merely *contains* `--` is an option, the key is that argument minus its
/// first two characters whatever they are, a following argument is its value only if it holds
/// no `--`, stray words are ignored, and later duplicates win. ArgumentParser decides
/// flag-vs-value from declarations, so tests written against the original (`--k v`, `--k=v`,
/// bare `--flag`) would break. Unlike the original, an option the command does not know is an
/// error (`rejectUnknown`): a typo such as `--parm1` silently dropped the parameter.
struct LooseArguments: Equatable {
    /// A string value, or `flag` for a bare `--name` (sent as JSON `true`).
    enum Value: Equatable {
        case string(String)
        case flag
    }

    let options: [String: Value]
    /// The options as the user spelled them, in order (`--parm1=x` → `--parm1`); the key is
    /// each one minus its first two characters.
    private let spelled: [String]

    init(_ arguments: [String]) {
        var options: [String: Value] = [:]
        var spelled: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.contains("--") else { continue }
            if let equals = argument.firstIndex(of: "=") {
                let name = String(argument[..<equals])
                options[String(name.dropFirst(2))] = .string(String(argument[argument.index(after: equals)...]))
                spelled.append(name)
            } else if index < arguments.count, !arguments[index].contains("--") {
                options[String(argument.dropFirst(2))] = .string(arguments[index])
                spelled.append(argument)
                index += 1
            } else {
                options[String(argument.dropFirst(2))] = .flag
                spelled.append(argument)
            }
        }
        self.options = options
        self.spelled = spelled
    }

    /// The value of a required string option; a bare flag does not count (the original crashed
    /// calling string methods on `true`). The error keeps the original's `Missing argument`
    /// and appends the option, so scripts matching the old text still match.
    func requiredString(_ key: String) throws(CLIFailure) -> String {
        guard case .string(let value)? = options[key] else { throw CLIFailure("Missing argument: --\(key)") }
        return value
    }

    /// The value of an optional string option; a bare flag is refused since it has no value.
    func optionalString(_ key: String) throws(CLIFailure) -> String? {
        switch options[key] {
        case nil: return nil
        case .string(let value)?: return value
        case .flag?: throw CLIFailure("Missing argument: --\(key) needs a value")
        }
    }

    /// Fails on the first option that `command` does not take, named as the user typed it.
    func rejectUnknown(_ accepted: Set<String>, command: String) throws(CLIFailure) {
        guard let unknown = spelled.first(where: { !accepted.contains(String($0.dropFirst(2))) }) else { return }
        throw CLIFailure("Unknown option \(unknown) (see rq \(command) --help)")
    }

    func has(_ key: String) -> Bool { options[key] != nil }

    /// The listed options that are present, as the JSON object sent to the queue.
    func jsonFields(_ keys: [String]) -> JSONObject {
        var fields = JSONObject()
        for key in keys {
            switch options[key] {
            case .string(let value)?: fields[key] = .string(value)
            case .flag?: fields[key] = .bool(true)
            case nil: break
            }
        }
        return fields
    }
}
