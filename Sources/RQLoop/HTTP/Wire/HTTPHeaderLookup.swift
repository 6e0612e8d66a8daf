extension Array where Element == (name: String, value: String) {
    /// First value of a header, name compared case-insensitively.
    func firstValue(named name: String) -> String? {
        let wanted = name.lowercased()
        return first { $0.name.lowercased() == wanted }?.value
    }
}
