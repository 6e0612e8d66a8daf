import Foundation
import Testing
@testable import RQStore

@Suite struct QueueStoreLifecycleTests {
    @Test func runThenDoneWithStatus() throws {
        try withTempRoot { root in
            let batch = DurableBatch()
            let store = try makeStore(root: root, batch: batch)
            let id = shortID(try store.createMessage(["dest": "test"]))
            let message = try store.moveToRun(id)
            #expect(message.msgID == id)
            #expect(try store.state(of: id) == .run)
            let job = try store.prepareJobDirectory(id)
            #expect(job == root + "/queue/test/run/\(id)/job")
            try store.writePID(id, pid: 4242)
            #expect(store.readPID(id) == 4242)
            try store.writeJobStatus(id, "sleeping")
            #expect(try store.messages(state: "run") == .array([[.string(id), "sleeping"]]))
            #expect(try store.statusText(of: id) == "run - sleeping")
            #expect(throws: StoreFailure("msg is running")) { try store.deleteMessage(id) }
            let location = try store.finish(id, as: .done, jobStatus: "done sleeping")
            #expect(location.relativePath == "queue/test/done/20231114/22/13/\(id)")
            #expect(!exists(location.path + "/pid"))
            #expect(try store.statusObject(of: id) == ["path": .string(location.relativePath),
                                                       "status": "done - done sleeping", "state": "done"])
            #expect(try store.messages(state: "done") == .array([.string(id)]))
            #expect(try store.messages(state: "done", filter: "nomatch") == .array([]))
            #expect(try store.messages(state: "done", filter: "\"dest\":\"test\"") == .array([.string(id)]))
            #expect(store.numMessages() == ["prep": 0, "que": 0, "run": 0, "done": 1, "relayed": 0, "err": 0])
            try batch.flush()
            try store.deleteMessage(id)
            #expect(!exists(location.path))
            #expect(throws: StoreFailure("msg not found")) { try store.state(of: id) }
        }
    }

    /// A resent message runs again in the `job/` it had: the second start finds it there.
    @Test func jobDirectoryIsKeptAcrossResends() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let id = shortID(try store.createMessage(["dest": "test"]))
            try store.moveToRun(id)
            let job = try store.prepareJobDirectory(id)
            try Data("first run".utf8).write(to: URL(fileURLWithPath: job + "/left.txt"))
            try store.requeue(id, due: 0, count: 1)
            try store.moveToRun(id)
            #expect(try store.prepareJobDirectory(id) == job)
            #expect(try String(contentsOfFile: job + "/left.txt", encoding: .utf8) == "first run")
        }
    }

    @Test func errRelayedAndAckErrs() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let a = shortID(try store.createMessage(["dest": "test"]))
            let b = shortID(try store.createMessage(["dest": "test"]))
            try store.moveToRun(a)
            try store.moveToRun(b)
            try store.finish(a, as: .err, jobStatus: "by design")
            try store.finish(b, as: .relayed, jobStatus: "http://x/q/test/1")
            #expect(try store.statusText(of: a) == "err - by design")
            #expect(try store.state(of: b) == .relayed)
            #expect(try store.messages(state: "err") == .array([.string(a)]))
            #expect(try store.messages(state: "relayed") == .array([.string(b)]))
            #expect(store.ackErrs() == 1)
            #expect(try store.messages(state: "err") == .array([]))
            #expect(try store.messages(state: "errack") == .array([.string("." + a)]))
            #expect(try store.state(of: "." + a) == .err)
            #expect(store.numMessages()["err"] == 0)
            #expect(throws: StoreFailure("invalid or missing 'state' field (bogus)")) { try store.messages(state: "bogus") }
        }
    }

    @Test func finishWithoutStatusLineKeepsNoStatusFile() throws {
        try withTempRoot { root in
            let batch = DurableBatch()
            let store = try makeStore(root: root, batch: batch)
            let id = shortID(try store.createMessage(["dest": "test"]))
            try store.moveToRun(id)
            try store.finish(id, as: .err)
            #expect(try store.statusText(of: id) == "err")
            try batch.flush()
        }
    }

    @Test func requeueForResend() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let id = shortID(try store.createMessage(["dest": "test", "count": 2]))
            var message = try store.moveToRun(id)
            message.dups = ["http://x/q/test/d"]
            try store.requeue(id, due: 1_700_000_100, count: message.count + 1, message: message)
            #expect(try store.state(of: id) == .que)
            #expect(store.queEntry(id)?.due == 1_700_000_100)
            let stored = try store.message(id)
            #expect(stored.count == 3)
            #expect(stored.due == 1_700_000_100)
            #expect(stored.dups == ["http://x/q/test/d"])
            #expect(exists(root + "/queue/test/que/\(id)/resend"))
            #expect(try store.messages(state: "que") == .array([[.string(id), 1_700_000_100]]))
        }
    }

    @Test func schedulingOrderAndRunMessage() throws {
        try withTempRoot { root in
            let clock = TestClock()
            let store = try makeStore(root: root, clock: clock)
            let late = shortID(try store.createMessage(["dest": "test", "due": 1_700_000_500]))
            let early = shortID(try store.createMessage(["dest": "test", "due": "1700000100"]))
            let tie = shortID(try store.createMessage(["dest": "test", "due": 1_700_000_100]))
            #expect(store.queEntries.map(\.id) == [early, tie, late])
            #expect(store.nextDue == 1_700_000_100)
            #expect(store.setDueNow(late) == .moved)
            #expect(store.queEntries.map(\.id) == [late, early, tie])
            #expect(store.queEntry(late)?.due == clock.now)
            // Enqueue order (what `messages que` and single_que see) is unchanged.
            #expect(try store.messages(state: "que", limit: 1) == .array([[.string(tie), 1_700_000_100]]))
            try store.moveToRun(early)
            #expect(store.setDueNow(early) == .alreadyRunning)
            try store.finish(early, as: .done)
            #expect(store.setDueNow(early) == .notRunnable)
            #expect(store.setDueNow("20231114.2213.20.123.1") == .notFound)
            let past = shortID(try store.createMessage(["dest": "test", "due": 1_600_000_000]))
            #expect(store.setDueNow(tie) == .moved)
            #expect(store.queEntry(tie)?.due == 1_599_999_999)
            #expect(store.queEntries.map(\.id) == [tie, past, late])
        }
    }

    @Test func coalescedDuplicateFinishesFromQue() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let absorber = shortID(try store.createMessage(["dest": "test", "param1": "x"]))
            let dup = shortID(try store.createMessage(["dest": "test", "param1": "x"]))
            let held = try #require(store.holdQueued(dup))
            #expect(store.queEntries.map(\.id) == [absorber])
            #expect(try store.state(of: dup) == .que)
            store.releaseHeld(held)
            #expect(store.queEntry(dup) != nil)
            store.holdQueued(dup)
            try store.moveToRun(absorber)
            try store.finish(absorber, as: .done, jobStatus: "ok")
            try store.finishDuplicate(dup, as: .done, absorber: store.fullID(absorber))
            #expect(try store.statusText(of: dup) == "done - duplicate \(store.fullID(absorber))")
            #expect(try store.message(dup).dup == store.fullID(absorber))
        }
    }

    @Test func cloneCopiesFieldsAndLinksAttachments() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let id = shortID(try store.prepMessage(["dest": "test", "count": 3, "max_count": 7, "param2": "p",
                                                    "due": 1_600_000_000, "src": "s"]))
            try write("data", to: root + "/a.txt")
            _ = try store.attach(msgID: id, pathname: root + "/a.txt", name: nil)
            #expect(throws: StoreFailure("cannot clone message in prep state")) { try store.cloneMessage(id) }
            try store.commit(id)
            #expect(throws: StoreFailure("cannot clone message in que state")) { try store.cloneMessage(id) }
            try store.moveToRun(id)
            try store.finish(id, as: .err)
            let cloneFull = try store.cloneMessage(id)
            let clone = shortID(cloneFull)
            #expect(clone != id)
            #expect(try store.state(of: clone) == .que)
            let copied = try store.message(clone)
            let original = try store.message(id)
            #expect(copied.count == 0)
            #expect(copied.maxCount == 7)
            #expect(copied.clonedFrom == id)
            #expect(copied.due == 1_600_000_000)
            #expect(copied.param(2) == "p")
            #expect(copied.origMsgID == original.origMsgID)
            let attachment = try FileOps.status(root + "/queue/test/que/\(clone)/attach/a.txt")
            #expect(attachment.st_ino == (try FileOps.status(root + "/a.txt")).st_ino)
            #expect(throws: StoreFailure("msg not found")) { try store.cloneMessage("20231114.2213.20.123.1") }
        }
    }

    @Test func getMessageDerivedFieldsAndUnreadable() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let id = shortID(try store.createMessage(["dest": "test"]))
            let message = try store.getMessage(id)
            #expect(message["status"] == "que")
            #expect(message["state"] == "que")
            #expect(message["path"] == .string("queue/test/que/\(id)"))
            #expect(message["_attachments"] == nil)
            try write("{broken", to: root + "/queue/test/que/\(id)/msg")
            #expect(throws: StoreFailure("msg couldn't be read")) { try store.getMessage(id) }
            #expect(throws: StoreFailure("msg not found")) { try store.getMessage("../../config") }
            try write(#"{"job_status":null}"#, to: root + "/queue/test/que/\(id)/status")
            #expect(try store.statusText(of: id) == "que - ")
        }
    }

    @Test func deleteInEveryState() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let prep = shortID(try store.prepMessage(["dest": "test"]))
            let que = shortID(try store.createMessage(["dest": "test"]))
            try store.deleteMessage(prep)
            try store.deleteMessage(que)
            #expect(store.counts == (0, 0, 0))
            #expect(Array(store.queEntries).isEmpty)
            #expect(throws: StoreFailure("msg not found")) { try store.deleteMessage(que) }
            let relayed = shortID(try store.createMessage(["dest": "test"]))
            try store.moveToRun(relayed)
            try store.finish(relayed, as: .relayed)
            try store.deleteMessage(relayed)
            #expect(HashDir(path: root + "/queue/test/relayed").count() == 0)
        }
    }

    @Test func adminMarkersAreReadOnEveryQuery() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let markers = AdminMarkers(root: root)
            try FileManager.default.createDirectory(atPath: root + "/config", withIntermediateDirectories: true)
            #expect(store.status == .up)
            try write("", to: root + "/config/test.pause")
            #expect(store.status == .pause)
            try markers.set(.down, queue: "test")
            try markers.set(.down, queue: "test")
            #expect(store.status == .down)
            try markers.clear(.down, queue: "test")
            try markers.clear(.down, queue: "test")
            #expect(store.status == .pause)
            try FileManager.default.removeItem(atPath: root + "/config/test.pause")
            #expect(store.status == .up)
            store.operStatus = .scriptError
            #expect(store.status == .scriptError)
            #expect(!store.status.isRunnable)
        }
    }
}
