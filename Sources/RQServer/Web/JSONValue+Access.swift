import RQStore

/// Reading replies in handlers: positional access and a parse that yields nil on bad text.
extension JSONValue {
    subscript(index: Int) -> JSONValue? {
        guard let items = arrayValue, items.indices.contains(index) else { return nil }
        return items[index]
    }

    var intValue: Int? { numberValue.map { Int($0) } }

    static func parsed(_ text: String) -> JSONValue? { try? JSONValue.parse(text) }
}
