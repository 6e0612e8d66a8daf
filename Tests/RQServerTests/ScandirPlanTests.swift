import Testing
import RQStore
@testable import RQServer

/// Which queues a scandir pass creates, adopts, reloads or releases.
@Suite struct ScandirPlanTests {
    func declared(_ name: String, workers: Int = 1, fingerprint: String = "v1") -> ScandirDirectory.Entry {
        .declared(.init(name: name, config: QueueConfig(name: name, script: "/s/\(name)/run", numWorkers: workers, execPrefix: ""),
                        fingerprint: Array(fingerprint.utf8)))
    }

    func config(_ name: String, workers: Int = 1) -> QueueConfig {
        QueueConfig(name: name, script: "/s/\(name)/run", numWorkers: workers, execPrefix: "")
    }

    @Test func newLinksCreateOrAdopt() {
        let changes = ScandirPlan.changes(managed: [:], scanned: ["a": declared("a"), "b": declared("b")], registered: ["b", "web"])
        #expect(changes == [.create(config("a")), .adopt(config("b"))])
    }

    @Test func queuesWithoutALinkAreNeverReleased() {
        // "web" was made over the web: no link, never managed, so nothing happens to it.
        #expect(ScandirPlan.changes(managed: [:], scanned: [:], registered: ["web"]).isEmpty)
    }

    @Test func changedDeclarationsReloadAndRemovedOnesRelease() {
        let managed: [String: [UInt8]] = ["a": Array("v1".utf8), "b": Array("v1".utf8), "c": Array("v1".utf8)]
        let scanned = ["a": declared("a"), "b": declared("b", workers: 3, fingerprint: "v2"),
                       "c": .broken(reason: "bad json")]
        let changes = ScandirPlan.changes(managed: managed, scanned: scanned, registered: ["a", "b", "c"])
        #expect(changes == [.reload(config("b", workers: 3)), .release("c")])
    }
}
