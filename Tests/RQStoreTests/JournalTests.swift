import Foundation
import Testing
@testable import RQStore

@Suite struct JournalRecordTests {
    static let all: [StoreMutation.Change] = [
        .created(msg: Array(#"{"msg_id":"x","dest":"q \" é"}"#.utf8)), .committed, .queued(msg: Array("{\n\u{1}}".utf8)),
        .moved(from: .run, to: .done),
        .rewritten(state: .run, msg: Array("{}".utf8)), .status(state: .run, text: "half way"), .status(state: .que, text: nil),
        .attached(state: .prep, name: "a.txt"), .attachmentRemoved(name: "a.txt"), .acknowledged, .deleted,
    ]

    func segment(_ changes: [StoreMutation.Change], zeros: Int = 64) -> [UInt8] {
        changes.flatMap { JournalRecord.encode(StoreMutation(queue: "q", id: "20231114.2213.20.100.11", $0)) }
            + [UInt8](repeating: 0, count: zeros)
    }

    @Test func everyChangeRoundTrips() {
        let scan = JournalScan(segment(Self.all))
        #expect(scan.end == .clean)
        #expect(scan.records.map(\.change) == Self.all)
        #expect(scan.records.allSatisfy { $0.queue == "q" && $0.id == "20231114.2213.20.100.11" })
    }

    @Test func aTornLastRecordEndsTheScanAsTorn() {
        var bytes = segment([.committed, .deleted])
        let second = JournalRecord.encode(StoreMutation(queue: "q", id: "20231114.2213.20.100.11", .committed)).count
        // The crash cut the second record short: its tail never reached the disk.
        for i in (second + 10)..<bytes.count { bytes[i] = 0 }
        let scan = JournalScan(bytes)
        #expect(scan.records.map(\.change) == [.committed])
        #expect(scan.end == .torn(offset: second))
    }

    @Test func aCorruptRecordInTheMiddleStopsTheScan() {
        var bytes = segment([.committed, .acknowledged, .deleted])
        let first = JournalRecord.encode(StoreMutation(queue: "q", id: "20231114.2213.20.100.11", .committed)).count
        bytes[first + JournalRecord.headerSize + 3] ^= 0x20
        let scan = JournalScan(bytes)
        #expect(scan.records.map(\.change) == [.committed])
        #expect(scan.end == .corrupt(offset: first))
    }

    @Test func settingsComeFromTheRootConfig() throws {
        var config = RootConfig()
        guard case .success(let (mode, defaults)) = JournalSettings.from(config) else { Issue.record("defaults"); return }
        #expect(mode == .journal && defaults == JournalSettings())
        config.otherKeys = ["durability": "fsync", "journal_segment_bytes": 65536, "journal_checkpoint_seconds": 0.5]
        guard case .success(let (fsync, tuned)) = JournalSettings.from(config) else { Issue.record("tuned"); return }
        #expect(fsync == .fsync && tuned.segmentBytes == 65536 && tuned.checkpointInterval == 0.5)
        config.otherKeys = ["durability": "never"]
        guard case .failure(let problem) = JournalSettings.from(config) else { Issue.record("accepted"); return }
        #expect(problem.description == #"Bad 'durability' in config json ["never"]: journal or fsync"#)
    }
}

@Suite struct JournalDurabilityTests {
    /// A journal that never checkpoints by itself, so the tests decide what the disk lost.
    static func journal(_ root: String, segmentBytes: Int = 1 << 20) -> JournalDurability {
        var settings = JournalSettings()
        settings.segmentBytes = segmentBytes
        settings.checkpointBytes = 1 << 40
        settings.checkpointInterval = 1e9
        return JournalDurability(root: root, settings: settings)
    }

    /// A journal after its start-up recovery, and queue `test` on it.
    static func started(_ root: String, segmentBytes: Int = 1 << 20) throws -> (JournalDurability, QueueStore) {
        let journal = Self.journal(root, segmentBytes: segmentBytes)
        _ = journal.recover()
        let store = try QueueStore(root: root, name: "test", config: QueueConfig(name: "test", script: "./s.sh", execPrefix: ""),
                                   rootConfig: RootConfig(), durability: journal, now: TestClock().function)
        return (journal, store)
    }

    @Test func replayRedoesLostDirectoryWrites() throws {
        try withTempRoot { root in
            let (journal, store) = try Self.started(root)
            let lost = shortID(try store.createMessage(["dest": "test", "param1": "kept"]))
            let finished = shortID(try store.createMessage(["dest": "test"]))
            try store.moveToRun(finished)
            try store.finish(finished, as: .done, jobStatus: "all good")
            try journal.flush()
            let q = root + "/queue/test"
            let msg = try read("\(q)/que/\(lost)/msg")
            // The crash lost the unsynced directory writes: one message never reached que/,
            // the other's move to done/ and its status file did not happen.
            try FileManager.default.removeItem(atPath: "\(q)/que/\(lost)")
            let done = try #require(store.path(of: finished, in: .done))
            try FileManager.default.moveItem(atPath: done, toPath: "\(q)/que/\(finished)")
            try FileManager.default.removeItem(atPath: "\(q)/que/\(finished)/status")

            let report = Self.journal(root).recover()
            #expect(report.problems.isEmpty)
            #expect(try read("\(q)/que/\(lost)/msg") == msg)
            #expect(try read(done + "/status") == #"{"job_status":"all good"}"#)
            #expect(!exists("\(q)/que/\(finished)"))
            // Replayed, checkpointed and dropped: a second start has nothing to redo.
            #expect(Self.journal(root).recover() == DurabilityRecovery())
        }
    }

    @Test func replayIsIdempotentAndKeepsWhatTheDiskAlreadyHas() throws {
        try withTempRoot { root in
            let id = "20231114.2213.20.100.11"
            try write("{}", to: root + "/queue/test/done/20231114/22/13/\(id)/msg")
            try FileOps.makeDirectories(root + "/queue/test/que")
            var replay = JournalReplay(root: root)
            // Recorded up to the commit; the run and the move to done reached the disk unrecorded.
            replay.fold(StoreMutation(queue: "test", id: id, .created(msg: Array("{}".utf8))))
            replay.fold(StoreMutation(queue: "test", id: id, .committed))
            replay.apply()
            #expect(replay.repaired.isEmpty && replay.problems.isEmpty)
            #expect(exists(root + "/queue/test/done/20231114/22/13/\(id)/msg"))
            #expect(!exists(root + "/queue/test/que/\(id)"))
        }
    }

    @Test func acknowledgedDeletesStayDeleted() throws {
        try withTempRoot { root in
            let (journal, store) = try Self.started(root)
            let id = shortID(try store.createMessage(["dest": "test"]))
            let copy = root + "/copy"
            try FileManager.default.copyItem(atPath: root + "/queue/test/que/\(id)", toPath: copy)
            try store.deleteMessage(id)
            try journal.flush()
            try FileManager.default.moveItem(atPath: copy, toPath: root + "/queue/test/que/\(id)")
            let report = Self.journal(root).recover()
            #expect(report.repaired.contains("test/\(id): deleted again"))
            #expect(!exists(root + "/queue/test/que/\(id)"))
        }
    }

    @Test func aCorruptMiddleRecordStopsReplayAndKeepsTheJournalAside() throws {
        try withTempRoot { root in
            let (journal, store) = try Self.started(root)
            let ids = try (0..<3).map { _ in shortID(try store.createMessage(["dest": "test"])) }
            try journal.flush()
            let segment = try #require(journal.current?.path)
            for id in ids { try FileManager.default.removeItem(atPath: root + "/queue/test/que/\(id)") }
            // Damage the second message's record (one `queued` record per create_message).
            var bytes = try FileOps.readFile(segment)
            let scan = JournalScan(bytes)
            #expect(scan.records.count == 3)
            let offset = JournalRecord.headerSize + Int(JournalRecord.readUInt32(bytes, at: 0))
            bytes[offset + JournalRecord.headerSize + 5] ^= 0x01
            try Data(bytes).write(to: URL(fileURLWithPath: segment))

            let report = Self.journal(root).recover()
            #expect(report.problems.contains { $0.hasPrefix("journal: bad record at \(segment):\(offset); replay stopped there") })
            #expect(exists(root + "/queue/test/que/\(ids[0])/msg"))
            #expect(!exists(root + "/queue/test/que/\(ids[1])") && !exists(root + "/queue/test/que/\(ids[2])"))
            let aside = try #require(FileOps.listIfPresent(root + "/journal").first { $0.hasPrefix("corrupt-") })
            #expect(try FileOps.readFile(root + "/journal/\(aside)/" + (segment as NSString).lastPathComponent) == bytes)
        }
    }

    @Test func checkpointsDropSealedSegmentsAndReplayStartsAfterThem() throws {
        try withTempRoot { root in
            let (journal, store) = try Self.started(root, segmentBytes: 64 << 10)
            for _ in 0..<800 {
                try store.createMessage(["dest": "test"])
                try journal.flush()
            }
            #expect(journal.segmentFiles().count > 2)
            let checkpoint = journal.beginCheckpoint()
            #expect(checkpoint.run() == nil)
            journal.finishCheckpoint(checkpoint, failure: nil)
            #expect(journal.segmentFiles().map(\.sequence) == [journal.current?.sequence])
            #expect(!journal.hasUncheckpointedRecords)
            let late = shortID(try store.createMessage(["dest": "test"]))
            try journal.flush()
            try FileManager.default.removeItem(atPath: root + "/queue/test/que/\(late)")
            let report = Self.journal(root, segmentBytes: 64 << 10).recover()
            #expect(report.repaired.first == "journal: 1 record(s) replayed")
            #expect(exists(root + "/queue/test/que/\(late)/msg"))
        }
    }

    /// The loop records the next batch while a flush's sync runs elsewhere; if that sync
    /// fails, its records are written again ahead of the newer ones, so replay sees them in
    /// the order they happened.
    @Test func aFailedSyncWritesItsRecordsAgainAheadOfNewerOnes() throws {
        try withTempRoot { root in
            let journal = Self.journal(root)
            #expect(journal.recover().problems.isEmpty)
            let first = StoreMutation(queue: "test", id: "20231114.2213.20.100.11", .committed)
            let second = StoreMutation(queue: "test", id: "20231114.2213.20.100.11", .moved(from: .que, to: .run))
            journal.record(first)
            _ = journal.beginFlush() // its fdatasync is reported failed below
            #expect(journal.isEmpty, "the flush took the pending records")
            journal.record(second)
            #expect(!journal.isEmpty)
            // What the helper thread reports when fdatasync fails.
            let failed = DurableSync(failure: FileError("fdatasync", "segment"), steps: [])
            journal.finishFlush(failed)
            #expect(!journal.hasUncheckpointedRecords, "nothing counts as durable")
            try journal.flush()
            let segment = try #require(journal.current?.path)
            let records = JournalScan(try FileOps.readFile(segment)).records
            #expect(records == [first, first, second], "the failed batch again, then the newer record")
            #expect(journal.hasUncheckpointedRecords)
        }
    }

    @Test func aSyncRunsOffTheCallingThread() throws {
        try withTempRoot { root in
            let journal = Self.journal(root)
            #expect(journal.recover().problems.isEmpty)
            journal.record(StoreMutation(queue: "test", id: "20231114.2213.20.100.11", .committed))
            let sync = journal.beginFlush()
            let done = DispatchSemaphore(value: 0)
            Thread { sync.run(); done.signal() }.start()
            done.wait()
            journal.finishFlush(sync)
            #expect(sync.failure == nil && journal.isEmpty && journal.hasUncheckpointedRecords)
        }
    }

    @Test(.enabled(if: getuid() == 0, "mounts a small tmpfs"))
    func aFullDiskFailsTheFlushAndLosesNothing() throws {
        let root = "/tmp/rqstore-full-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let mounted = Command.run("/bin/mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", root])
        try #require(mounted == 0, "mount tmpfs")
        defer { _ = Command.run("/bin/umount", [root]) }
        let journal = Self.journal(root, segmentBytes: 64 << 10)
        #expect(journal.recover().problems.isEmpty)
        // Fill the file system: only the current segment is preallocated (the spare is left to
        // background checkpoints).
        let filler = root + "/filler"
        let fd = open(filler, O_WRONLY | O_CREAT, 0o644)
        let block = [UInt8](repeating: 1, count: 4096)
        while write(fd, block, block.count) > 0 {}
        close(fd)
        let record = StoreMutation(queue: "test", id: "20231114.2213.20.100.11", .created(msg: [UInt8](repeating: 0x61, count: 1000)))
        var failed = false
        var recorded = 0
        for _ in 0..<200 {
            journal.record(record)
            recorded += 1
            do { try journal.flush() } catch {
                failed = true
                break
            }
        }
        #expect(failed, "a third segment cannot be created on a full disk")
        #expect(!journal.isEmpty, "the unwritten records stay pending")
        unlink(filler)
        try journal.flush()
        let written = journal.segmentFiles().reduce(0) { $0 + JournalScan(try! FileOps.readFile($1.path)).records.count }
        #expect(written == recorded)
    }
}

/// Runs a program and returns its exit status.
enum Command {
    static func run(_ path: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
