import Foundation

/// The rq_router's rules (`config/rq_router_rules.json`; `rq verify_rules` checks one).
///
/// The original used a Ruby DSL (spec reference/relay.md §7.5); ours is JSON with the same
/// meaning: a list of rules, the first whose every `match` pattern (a regular expression,
/// searched like Ruby's `=~`) finds its message field decides. A rule forwards the message to
/// `dest` (a queue name or a queue URL; a list sends one copy to each, like `:relay` to several
/// hosts), or ends it with `"action": "done"` / `"err"`. A rule whose `desc` is `default` needs
/// no `match` and always applies last; without one, an unmatched message ends in err (the
/// original's built-in default). `"log": true` writes the decision to `log/rq_router.log`.
public struct RouterRules: Sendable {
    public let rules: [RouterRule]

    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let reason: String
        public init(_ reason: String) { self.reason = reason }
        public var description: String { reason }
    }

    /// Applies when no rule matches and the file has no `default` rule.
    public static let builtInDefault = RouterRule(description: "default", match: [], action: .err, log: true)

    public static func load(path: String) throws(Problem) -> RouterRules {
        let bytes: [UInt8]
        do { bytes = try FileOps.readRegularFile(path, maxSize: maxFileSize) } catch {
            throw Problem("\(path): cannot be read (\(error.reason))")
        }
        return try parse(bytes: bytes, path: path)
    }

    /// A rules file is a few kilobytes; anything near this is not one.
    public static let maxFileSize = 1 << 20

    /// The content of the rules file at `path` (named in the reasons).
    public static func parse(bytes: [UInt8], path: String) throws(Problem) -> RouterRules {
        guard case .array(let entries)? = try? JSONValue.parse(bytes) else { throw Problem("\(path): not a JSON array") }
        return try parse(entries)
    }

    public static func parse(_ entries: [JSONValue]) throws(Problem) -> RouterRules {
        var rules: [RouterRule] = []
        for (index, entry) in entries.enumerated() {
            do { rules.append(try RouterRule.parse(entry)) } catch { throw Problem("rule \(index + 1): \(error.reason)") }
        }
        return RouterRules(rules: rules)
    }

    public init(rules: [RouterRule]) { self.rules = rules }

    /// Rules in the order they are tried: the last `default` rule (or the built-in one) last.
    public var effective: [RouterRule] {
        let defaults = rules.filter(\.isDefault)
        return rules.filter { !$0.isDefault } + [defaults.last ?? Self.builtInDefault]
    }

    /// The rule that decides `message` (a message's JSON object).
    public func decide(_ message: JSONObject) -> RouterRule {
        effective.first { $0.matches(message) } ?? Self.builtInDefault
    }
}

/// One rule of `RouterRules`.
public struct RouterRule: Sendable, Equatable {
    public enum Action: Equatable, Sendable {
        /// One copy of the message to each destination (queue name or queue URL).
        case forward([String])
        case done
        case err
    }

    public struct Pattern: Sendable, Equatable {
        public let field: String
        public let pattern: String
        let regex: Regex

        public static func == (lhs: Pattern, rhs: Pattern) -> Bool { lhs.field == rhs.field && lhs.pattern == rhs.pattern }
    }

    public let description: String?
    /// Sorted by field name.
    public let match: [Pattern]
    public let action: Action
    public let log: Bool

    public var isDefault: Bool { description == "default" }

    init(description: String?, match: [Pattern], action: Action, log: Bool) {
        self.description = description
        self.match = match
        self.action = action
        self.log = log
    }

    /// Every pattern finds its field; an absent field never matches (as in the original).
    public func matches(_ message: JSONObject) -> Bool {
        match.allSatisfy { pattern in
            guard let value = message[pattern.field], !value.isNull else { return false }
            return pattern.regex.firstMatch(in: value.stringValue ?? value.compactString)
        }
    }

    static func parse(_ entry: JSONValue) throws(RouterRules.Problem) -> RouterRule {
        guard let object = entry.objectValue else { throw .init("not an object") }
        var description: String?
        if case .string(let text)? = object["desc"] { description = text }
        let match = try patterns(object["match"], optional: description == "default")
        let action: Action
        switch object["action"] {
        case nil:
            action = .forward(try destinations(object["dest"]))
        case .string("done")?: action = .done
        case .string("err")?: action = .err
        case .string("forward")?: action = .forward(try destinations(object["dest"]))
        case let other?: throw .init("\"action\" must be \"forward\", \"done\" or \"err\", not \(other.compactString)")
        }
        var log = action == .err
        switch object["log"] {
        case nil: break
        case .bool(let flag)?: log = log || flag
        case let other?: throw .init("\"log\" must be true or false, not \(other.compactString)")
        }
        return RouterRule(description: description, match: match, action: action, log: log)
    }

    private static func patterns(_ value: JSONValue?, optional: Bool) throws(RouterRules.Problem) -> [Pattern] {
        if optional, value == nil { return [] }
        guard case .object(let fields)? = value, optional || !fields.isEmpty else {
            throw .init("\"match\" must be a non-empty object")
        }
        var patterns: [Pattern] = []
        for (field, value) in fields {
            guard case .string(let text) = value else { throw .init("match field \"\(field)\" must be a string") }
            guard let regex = Regex(text) else { throw .init("match field \"\(field)\": \(text) is not a regular expression") }
            patterns.append(Pattern(field: field, pattern: text, regex: regex))
        }
        return patterns.sorted { $0.field < $1.field }
    }

    private static func destinations(_ value: JSONValue?) throws(RouterRules.Problem) -> [String] {
        switch value {
        case .string(let dest)? where !dest.isEmpty:
            return [dest]
        case .array(let items)? where !items.isEmpty:
            let dests = items.compactMap(\.stringValue).filter { !$0.isEmpty }
            guard dests.count == items.count else { throw .init("\"dest\" list must hold non-empty strings") }
            return dests
        default:
            throw .init("\"dest\" must be a non-empty string")
        }
    }

    /// Verbose listing, like the original's: the description, `key value` lines, a blank line.
    public func listing(number: Int) -> String {
        var lines = [description ?? "rule \(number)"]
        lines += match.map { "match \($0.field) \($0.pattern)" }
        switch action {
        case .forward(let dests): lines += dests.map { "dest \($0)" }
        case .done: lines.append("action done")
        case .err: lines.append("action err")
        }
        if log { lines.append("log true") }
        return lines.joined(separator: "\n") + "\n\n"
    }
}

/// A compiled regular expression (ICU syntax, close to Ruby's for the patterns rules use).
/// NSRegularExpression is immutable and documented thread-safe.
struct Regex: @unchecked Sendable {
    private let expression: NSRegularExpression

    init?(_ pattern: String) {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return nil }
        self.expression = expression
    }

    func firstMatch(in text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
