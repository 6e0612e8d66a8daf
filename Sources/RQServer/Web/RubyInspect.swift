import RQStore

/// Ruby's `inspect` text of a reply (spec rest.md §3.1.6), which the original put in flash
/// messages and error bodies: `["fail", "cannot find message"]`, `{"a"=>1}`.
enum RubyInspect {
    static func of(_ value: JSONValue) -> String {
        switch value {
        case .null: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .number: return value.compactString
        case .string: return value.compactString
        case .array(let items): return "[" + items.map(of).joined(separator: ", ") + "]"
        case .object(let fields):
            return "{" + fields.sorted { $0.key < $1.key }.map { JSONValue.string($0.key).compactString + "=>" + of($0.value) }.joined(separator: ", ") + "}"
        }
    }
}
