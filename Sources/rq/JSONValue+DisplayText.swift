import RQStore

extension JSONValue {
    /// How the original (Ruby `"#{value}"`) prints a reply element: strings bare, nil empty,
    /// numbers as JSON writes them (a count of 1 prints `1`, not `1.0`). Arrays and objects,
    /// which Ruby would print in its own inspect syntax, print as compact JSON.
    var displayText: String {
        switch self {
        case .null: ""
        case .string(let value): value
        case .bool, .number, .array, .object: compactString
        }
    }
}
