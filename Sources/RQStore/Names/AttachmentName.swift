/// Attachment names are file names inside `attach/`.
public enum AttachmentName {
    static let forbidden: Set<Unicode.Scalar> = Set("~?[]%|$&<>*".unicodeScalars)

    public enum Problem: Equatable, Sendable {
        case empty
        case dotFile
        case invalidCharacter
    }

    /// Why a name cannot be used, or nil when it can. Beyond the original's rules this also
    /// rejects `/`, NUL, control characters and `..`, which would escape `attach/`.
    public static func problem(with name: String) -> Problem? {
        if name.isEmpty { return .empty }
        if name.hasPrefix(".") { return .dotFile }
        if name.contains("..") { return .invalidCharacter }
        for scalar in name.unicodeScalars {
            if scalar == "/" || scalar.value < 0x20 || scalar.value == 0x7F { return .invalidCharacter }
            if forbidden.contains(scalar) { return .invalidCharacter }
        }
        return nil
    }

    public static func isValid(_ name: String) -> Bool { problem(with: name) == nil }
}
