import Foundation

/// Where `swift build` put the executables under test: next to the test bundle.
enum Binaries {
    static let directory: URL = {
        if let dir = ProcessInfo.processInfo.environment["RQ_BIN_DIR"] { return URL(fileURLWithPath: dir) }
        return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }()
    static var server: String { directory.appendingPathComponent("rq-server").path }
    static var cli: String { directory.appendingPathComponent("rq").path }
}
