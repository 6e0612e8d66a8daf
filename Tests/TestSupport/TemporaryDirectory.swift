import Foundation

/// A fresh directory under the system temp dir (`/tmp/<prefix>-<random>`), removed with its
/// contents when the last reference goes. The one way tests make scratch roots, so each test
/// has its own and none collides with a colleague's run.
public final class TemporaryDirectory {
    public let path: String

    public init(prefix: String = "rq-test") throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(12))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Runs `body` with a temporary directory's path; the directory goes when it returns.
    public static func with<T>(prefix: String = "rq-test", _ body: (String) throws -> T) throws -> T {
        let directory = try TemporaryDirectory(prefix: prefix)
        return try withExtendedLifetime(directory) { try body(directory.path) }
    }

    /// Removes it now (a test that needs it gone before the end).
    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    deinit { remove() }
}
