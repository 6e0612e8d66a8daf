import Foundation
import Testing
@testable import RQStore

/// The que index built in slices after start-up (issue 10): work done while the scan runs
/// stays right, and every message on disk ends up indexed exactly once.
@Suite struct QueueScanTests {
    static func id(_ n: Int) -> String { String(format: "20231114.2213.%02d.%03d.%d", n / 1000 % 60, n % 1000, 7_000 + n) }

    static func writeQueued(_ root: String, _ n: Int, due: Int) throws {
        try write(#"{"msg_id":"\#(id(n))","dest":"test","count":0,"max_count":15,"due":\#(due),"param1":"p\#(n)"}"#,
                  to: "\(root)/queue/test/que/\(id(n))/msg")
    }

    static func openInSlices(_ root: String, blocking: Bool = false) throws -> QueueStore {
        var config = QueueConfig(name: "test", script: "./test/script.sh", execPrefix: "")
        if blocking { config.blockingParams = [1] }
        return try QueueStore(root: root, name: "test", config: config, rootConfig: RootConfig(),
                              durability: FsyncDurability(root: root), indexInSlices: true, now: { 1_700_000_000 })
    }

    @Test func workDuringTheScanStaysRight() throws {
        try withTempRoot { root in
            for n in 0..<3_000 { try Self.writeQueued(root, n, due: 1_700_000_000 + n % 5) }
            try write("not json", to: "\(root)/queue/test/que/\(Self.id(3_000))/msg")
            try Self.writeQueued(root, 3_001, due: 1_600_000_000)  // earliest due, last in id order
            let store = try Self.openInSlices(root)
            #expect(!store.isIndexComplete)
            // A few small slices: the listing, the sort and some reading.
            for _ in 0..<20 {
                var calls = 0
                store.stepIndex(shouldStop: { calls += 1; return calls > 1 })
            }
            #expect(!store.isIndexComplete)
            #expect(store.counts.que > 2_000, "counts include messages listed but not read yet")
            // Meanwhile: a live message, a delete and a run_message of messages not read yet.
            let live = MessageID.shortID(from: try store.createMessage(["dest": "test", "due": 1_600_000_000]))
            try store.deleteMessage(Self.id(2_999))
            #expect(store.setDueNow(Self.id(2_998)) == .moved)
            store.stepIndex(shouldStop: { false })
            #expect(store.isIndexComplete)
            #expect(store.recovery.skipped.map(\.id) == [Self.id(3_000)])
            #expect(store.counts.que == 3_000 - 1 + 1 + 1)
            let order = Array(store.queEntries.prefix(4)).map(\.id)
            #expect(order == [Self.id(2_998), Self.id(3_001), live, Self.id(0)], "run_message first, then due, then scan before live")
            #expect(store.queEntry(Self.id(2_999)) == nil)
            #expect(store.queEntry(Self.id(5))?.params == [], "params are not kept in a plain queue")
        }
    }

    @Test func blockingQueuesKeepParamsAndAReloadRescans() throws {
        try withTempRoot { root in
            for n in 0..<50 { try Self.writeQueued(root, n, due: 1_700_000_000) }
            let store = try Self.openInSlices(root)
            store.stepIndex(shouldStop: { false })
            #expect(store.queEntry(Self.id(7))?.params == [])
            var config = store.config
            config.blockingParams = [1]
            #expect(store.update(config: config), "a queue that starts blocking needs every message's params")
            #expect(!store.isIndexComplete)
            store.stepIndex(shouldStop: { false })
            #expect(store.queEntry(Self.id(7))?.params == [.string("p7"), nil, nil, nil])
            #expect(store.counts.que == 50)
            #expect(!store.update(config: config), "same config: no rescan")
        }
    }
}
