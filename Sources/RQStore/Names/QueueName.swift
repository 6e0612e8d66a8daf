/// Queue names become directory names and URL segments, so the grammar is strict.
public enum QueueName {
    public static let maxLength = 128

    /// The original's forbidden characters (spec grammar), plus `*` and `\`.
    static let forbidden: Set<Unicode.Scalar> = Set("/. ,;:@\"(){}\\+='^`#~?[]%|$&<>*".unicodeScalars)

    /// Non-empty, at most 128 characters, none of the forbidden characters, no control
    /// characters or NUL (and therefore no leading `.`, which marks deleted queues).
    public static func isValid(_ name: String) -> Bool {
        guard !name.isEmpty, name.unicodeScalars.count <= maxLength else { return false }
        for scalar in name.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F { return false }
            if (0x80...0x9F).contains(scalar.value) { return false }
            if forbidden.contains(scalar) { return false }
        }
        return true
    }
}
