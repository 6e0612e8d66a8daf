import RQStore

/// Reading replies in handlers: positional access and a parse that yields nil on bad text.
extension JSONValue {
    subscript(index: Int) -> JSONValue? {
        guard let items = arrayValue, items.indices.contains(index) else { return nil }
        return items[index]
    }

    /// nil for numbers no Int can hold (1e300, NaN): a plain `Int(_:)` would trap on them.
    var intValue: Int? { numberValue.flatMap { Int(exactly: $0.rounded(.towardZero)) } }

    static func parsed(_ text: String) -> JSONValue? { try? JSONValue.parse(text) }
}
