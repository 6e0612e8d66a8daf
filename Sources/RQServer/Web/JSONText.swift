import RQStore

/// Compact JSON text for replies (spec rest.md §3.1.1: no whitespace, `/` unescaped).
enum JSONText {
    static func array(_ items: [JSONValue]) -> String { JSONValue.array(items).compactString }
    static func string(_ text: String) -> String { JSONValue.string(text).compactString }
}
