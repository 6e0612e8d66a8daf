import RQStore

/// The option syntax of the original `bin/rq` (cli.md §5.1.1), reproduced exactly.
///
/// Hand-written rather than swift-argument-parser because the original's rules do not fit it:
/// any argument that merely *contains* `--` is an option, the key is that argument minus its
/// first two characters whatever they are, a following argument is its value only if it holds
/// no `--`, unknown options and stray words are silently accepted, and later duplicates win.
/// ArgumentParser rejects unknown options and decides flag-vs-value from declarations, so tests
/// written against the original (`--k v`, `--k=v`, bare `--flag`) would break.
struct LooseArguments: Equatable {
    /// A string value, or `flag` for a bare `--name` (sent as JSON `true`).
    enum Value: Equatable {
        case string(String)
        case flag
    }

    let options: [String: Value]

    init(_ arguments: [String]) {
        var options: [String: Value] = [:]
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.contains("--") else { continue }
            if let equals = argument.firstIndex(of: "=") {
                let key = String(argument[..<equals].dropFirst(2))
                options[key] = .string(String(argument[argument.index(after: equals)...]))
            } else if index < arguments.count, !arguments[index].contains("--") {
                options[String(argument.dropFirst(2))] = .string(arguments[index])
                index += 1
            } else {
                options[String(argument.dropFirst(2))] = .flag
            }
        }
        self.options = options
    }

    /// The value of a required string option; a bare flag does not count (the original crashed
    /// calling string methods on `true`).
    func requiredString(_ key: String) throws(CLIFailure) -> String {
        guard case .string(let value)? = options[key] else { throw CLIFailure("Missing argument") }
        return value
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
