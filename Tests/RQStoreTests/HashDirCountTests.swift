import Foundation
import Testing
@testable import RQStore

/// done/relayed counts are walked once, then follow the store's own moves and deletes.
@Suite struct HashDirCountTests {
    @Test func countsFollowFinishAndDeleteWithoutWalking() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let first = shortID(try store.createMessage(["dest": "test"]))
            #expect(store.numMessages()["done"] == .int(0))
            try store.moveToRun(first)
            try store.finish(first, as: .done)
            let second = shortID(try store.createMessage(["dest": "test"]))
            try store.moveToRun(second)
            try store.finish(second, as: .relayed)
            #expect(store.numMessages()["done"] == .int(1))
            #expect(store.numMessages()["relayed"] == .int(1))
            // A hand-made entry is not walked again: the cache is what counts until a recount.
            let manual = "20240105.1307.22.123.777"
            try write("{}", to: root + "/queue/test/done/20240105/13/07/\(manual)/msg")
            #expect(store.numMessages()["done"] == .int(1))
            store.recount()
            #expect(store.numMessages()["done"] == .int(2))
            try store.deleteMessage(first)
            try store.deleteMessage(second)
            #expect(store.numMessages()["done"] == .int(1))
            #expect(store.numMessages()["relayed"] == .int(0))
        }
    }
}
