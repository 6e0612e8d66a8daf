import Foundation

/// A failed system call on a path, with errno kept so callers can tell ENOENT from the rest.
public struct FileError: Error, CustomStringConvertible, Equatable, Sendable {
    public let operation: String
    public let path: String
    public let code: Int32
    /// Set when the failure is ours (a check), not the system call's.
    private let explanation: String?

    public init(_ operation: String, _ path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
        explanation = nil
    }

    public init(_ operation: String, _ path: String, reason: String) {
        self.operation = operation
        self.path = path
        code = EINVAL
        explanation = reason
    }

    public var isNotFound: Bool { code == ENOENT }
    public var reason: String { explanation ?? String(cString: strerror(code)) }
    public var description: String { "\(operation) \(path): \(reason)" }
}
