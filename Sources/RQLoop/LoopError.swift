import Glibc

/// A libevent or socket call that failed while setting up a loop object.
/// `code` is the errno seen right after the failure (0 when libevent gave none).
public struct LoopError: Error, CustomStringConvertible, Equatable {
    public let operation: String
    public let code: Int32

    public init(_ operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    public var description: String {
        code == 0 ? "\(operation) failed" : "\(operation) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
}
