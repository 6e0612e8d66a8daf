import Foundation
import Testing
@testable import RQStore

@Suite struct QueueStoreCreateTests {
    @Test func createMessageQueuesItWithNormalisedFields() throws {
        try withTempRoot { root in
            let batch = DurableBatch()
            let store = try makeStore(root: root, batch: batch)
            let full = try store.createMessage(["dest": "test", "count": "1", "param1": "a", "junk": 1])
            #expect(full.hasPrefix("http://127.0.0.1:3333/q/test/20231114.2213.20.123."))
            let id = shortID(full)
            #expect(try store.state(of: id) == .que)
            let stored = try parseObject(read(root + "/queue/test/que/\(id)/msg"))
            #expect(stored["count"] == 1)
            #expect(stored["max_count"] == 15)
            #expect(stored["due"] == 1_700_000_000)
            #expect(stored["orig_msg_id"] == .string(full))
            #expect(stored["junk"] == nil)
            #expect(store.queEntries.map(\.id) == [id])
            #expect(store.queEntry(id)?.params == [], "params are kept only in blocking and coalescing queues")
            #expect(batch.pendingCount > 0)
            try batch.flush()
        }
    }

    @Test func missingDestLeavesNothingBehind() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            #expect(throws: StoreFailure(#"input missing required "dest" parameter"#)) { try store.createMessage(["src": "x"]) }
            #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/queue/test/prep").isEmpty)
        }
    }

    @Test func prepThenCommit() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let id = shortID(try store.prepMessage(["dest": "test"]))
            #expect(try store.state(of: id) == .prep)
            #expect(try store.messages(state: "prep") == .array([.string(id)]))
            try store.commit(id)
            #expect(try store.state(of: id) == .que)
            #expect(!exists(root + "/queue/test/prep/\(id)"))
            #expect(throws: StoreFailure("cannot find message")) { try store.commit(id) }
            #expect(throws: StoreFailure("cannot find message")) { try store.commit("20231114.2213.20.123.1") }
        }
    }

    @Test func singleQueReturnsMostRecentlyQueued() throws {
        try withTempRoot { root in
            let clock = TestClock()
            let store = try makeStore(root: root, clock: clock)
            let first = try store.singleQue(["dest": "test"])
            clock.now += 1
            let second = try store.createMessage(["dest": "test"])
            #expect(first != second)
            #expect(try store.singleQue(["dest": "test"]) == second)
            #expect(store.counts.que == 2)
        }
    }

    @Test func noFsyncQueueRegistersNothing() throws {
        try withTempRoot { root in
            let batch = DurableBatch()
            let store = try makeStore(root: root, fsync: false, batch: batch)
            _ = try store.createMessage(["dest": "test"])
            #expect(batch.isEmpty)
        }
    }
}

@Suite struct QueueStoreAttachTests {
    @Test func attachHardLinksAndReportsMD5() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let id = shortID(try store.prepMessage(["dest": "test"]))
            let source = root + "/upload.txt"
            try write("hello\n", to: source)
            let md5 = try store.attach(msgID: id, pathname: source, name: nil)
            #expect(md5 == "b1946ac92492d2347c6235b4d2611184")
            let attached = root + "/queue/test/prep/\(id)/attach/upload.txt"
            let a = try FileOps.status(source)
            let b = try FileOps.status(attached)
            #expect(a.st_ino == b.st_ino)
            #expect(exists(source))
            // Replacing under another name, then listing.
            #expect(try store.attach(msgID: id, pathname: source, name: "other.txt") == md5)
            let message = try store.getMessage(id)
            let attachments = try #require(message["_attachments"]?.objectValue)
            #expect(Array(attachments.keys) == ["other.txt", "upload.txt"])
            #expect(attachments["upload.txt"] == ["md5": .string(md5), "size": 6, "path": .string(attached)])
            try store.deleteAttachment(msgID: id, name: "other.txt")
            #expect(throws: StoreFailure("No attachment with that named for msg")) {
                try store.deleteAttachment(msgID: id, name: "other.txt")
            }
            #expect(throws: StoreFailure("No attachment with that named for msg")) {
                try store.deleteAttachment(msgID: id, name: "../msg")
            }
        }
    }

    @Test func attachValidationTextsInOrder() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let id = shortID(try store.prepMessage(["dest": "test"]))
            let file = root + "/f.txt"
            try write("x", to: file)
            func reason(_ id: String, _ path: String, _ name: String? = nil) -> String? {
                do {
                    _ = try store.attach(msgID: id, pathname: path, name: name)
                    return nil
                } catch {
                    return error.reason
                }
            }
            #expect(reason("20231114.2213.20.123.1", file) == "cannot find message")
            #expect(reason(id, "rel/f.txt") == "Invalid pathname, must be normalized rel/f.txt (ie. must start with /")
            #expect(reason(id, root + "/nope") == "No such file \(root)/nope to attach to message")
            #expect(reason(id, root) == "Attachment currently cannot be a directory \(root)")
            #expect(reason(id, "/dev/null") == "Attachment currently not of supported type: /dev/null")
            #expect(reason(id, file, ".dot") == "Attachment name as a dot-file not allowed: .dot")
            #expect(reason(id, file, "a*b") == "Attachment name has invalid character. not allowed: a*b")
            #expect(reason(id, file, "a/b") == "Attachment name has invalid character. not allowed: a/b")
            #expect(reason(id, file, "..") == "Attachment name as a dot-file not allowed: ..")
            try FileManager.default.removeItem(atPath: root + "/queue/test/prep/\(id)")
            #expect(reason(id, file) == "No message on disk")
        }
    }

    @Test func attachOnlyInPrep() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let id = shortID(try store.createMessage(["dest": "test"]))
            let file = root + "/f.txt"
            try write("x", to: file)
            #expect(throws: StoreFailure("cannot find message")) { try store.attach(msgID: id, pathname: file, name: nil) }
            #expect(throws: StoreFailure("msg not in prep")) { try store.deleteAttachment(msgID: id, name: "f.txt") }
            #expect(throws: StoreFailure("msg not found")) {
                try store.deleteAttachment(msgID: "20231114.2213.20.123.1", name: "f.txt")
            }
            let prep = shortID(try store.prepMessage(["dest": "test"]))
            #expect(throws: StoreFailure("No attach directory for msg")) { try store.deleteAttachment(msgID: prep, name: "f.txt") }
        }
    }

    @Test func incrementalHashingInSlices() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let id = shortID(try store.prepMessage(["dest": "test"]))
            let file = root + "/big.bin"
            try Data(repeating: 7, count: FileDigest.sliceSize * 2 + 10).write(to: URL(fileURLWithPath: file))
            let pending = try store.beginAttach(msgID: id, pathname: file, name: "big.bin")
            var slices = 0
            while try !pending.hashSlice() { slices += 1 }
            #expect(slices == 3)
            #expect(try store.attachments(inMessageDirectory: root + "/queue/test/prep/\(id)").isEmpty)
            let md5 = try store.finishAttach(pending)
            #expect(md5 == (try FileDigest(path: file).finish()))
            #expect(try store.attachments(inMessageDirectory: root + "/queue/test/prep/\(id)").map(\.name) == ["big.bin"])
        }
    }

    @Test func anAttachInProgressBlocksAnotherAttachAndTheCommit() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let id = shortID(try store.prepMessage(["dest": "test"]))
            let file = root + "/a.bin"
            try Data(repeating: 1, count: 100).write(to: URL(fileURLWithPath: file))
            let pending = try store.beginAttach(msgID: id, pathname: file, name: "a.bin")
            #expect(throws: StoreFailure("attach in progress for msg")) { try store.beginAttach(msgID: id, pathname: file, name: "b.bin") }
            #expect(throws: StoreFailure("attach in progress for msg")) { try store.commit(id) }
            store.abandonAttach(pending)
            #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/queue/test/prep/\(id)/attach").isEmpty)
            // A known digest is taken as given (the server computed it while receiving the file).
            #expect(try store.attach(msgID: id, pathname: file, name: nil, knownMD5: "0123456789abcdef0123456789abcdef")
                    == "0123456789abcdef0123456789abcdef")
            #expect(store.cachedDigest(of: root + "/queue/test/prep/\(id)/attach/a.bin") == "0123456789abcdef0123456789abcdef")
            try store.commit(id)
            #expect(try store.state(of: id) == .que)
        }
    }
}
