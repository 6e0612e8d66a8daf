import Foundation
@testable import RQStore
import TestSupport

/// A temporary installation root under /tmp, removed by `withTempRoot`.
func withTempRoot<T>(_ body: (String) throws -> T) throws -> T {
    try TemporaryDirectory.with(prefix: "rqstore-test", body)
}

/// A settable clock.
final class TestClock {
    var now: Double
    init(_ now: Double = 1_700_000_000.123) { self.now = now }
    var function: () -> Double { { self.now } }
}

func makeStore(root: String, name: String = "test", clock: TestClock = TestClock(), fsync: Bool = true,
               batch: DurableBatch = DurableBatch(), recovery: RecoveryReport = RecoveryReport()) throws -> QueueStore {
    var config = QueueConfig(name: name, script: "./test/script.sh", execPrefix: "")
    config.fsync = fsync
    return try QueueStore(root: root, name: name, config: config, rootConfig: RootConfig(),
                          durability: FsyncDurability(root: root, batch: batch), recovery: recovery, now: clock.function)
}

/// A store opened as the server does after a crash: the global recovery phase first.
func recoverAndOpen(root: String, name: String = "test") throws -> QueueStore {
    let result = StoreRecovery(root: root, durability: FsyncDurability(root: root)).run()
    return try makeStore(root: root, name: name, recovery: result.queues[name] ?? RecoveryReport())
}

func write(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                            withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

func read(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
}

func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

func parseObject(_ text: String) throws -> JSONObject {
    guard let object = try JSONValue.parse(text).objectValue else { throw StoreFailure("not an object: \(text)") }
    return object
}

/// Short id from a full id.
func shortID(_ fullID: String) -> String { MessageID.shortID(from: fullID) }
