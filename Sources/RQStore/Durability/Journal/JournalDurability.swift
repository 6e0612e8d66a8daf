import Foundation

/// A write-ahead journal in front of the directory store (DESIGN.md "Durability"). The
/// directories are written exactly as before; each replayable mutation is also encoded into
/// `pending`, and `flush()` appends them to the current preallocated segment with one
/// `fdatasync`, which is all an acknowledgement waits for. Attachments (their bytes are in no
/// record) go to an `FsyncDurability` flushed at the same time. A checkpoint (a `syncfs` of
/// the file system, run off the loop) later makes the directories durable by themselves, and
/// only then are older segments dropped. `recover()` replays what follows the last checkpoint.
/// Loop-owned, like the store.
public final class JournalDurability: Durability {
    public let root: String
    /// `<root>/journal`
    public let directory: String
    let settings: JournalSettings
    let fallback: FsyncDurability
    let now: () -> Double
    var pending: [UInt8] = []
    /// Records written by the flush in progress, kept until its sync has succeeded.
    var flushing: [UInt8] = []
    var current: JournalSegment?
    /// Record bytes written since the last completed checkpoint, and when the first of them was.
    var uncheckpointedBytes = 0
    var uncheckpointedSince: Double?
    public private(set) var checkpointRunning = false

    public init(root: String, settings: JournalSettings = JournalSettings(),
                now: @escaping () -> Double = { Date().timeIntervalSince1970 }) {
        self.root = root
        self.directory = root + "/journal"
        self.settings = settings
        self.fallback = FsyncDurability(root: root)
        self.now = now
    }

    var sparePath: String { directory + "/spare.seg.new" }

    // MARK: Recording and group commit

    public func record(_ mutation: StoreMutation) {
        if mutation.isReplayable {
            pending += JournalRecord.encode(mutation)
        } else {
            fallback.record(mutation)
        }
    }

    public var isEmpty: Bool { pending.isEmpty && fallback.isEmpty }

    /// Synced with the attachments, which no record can redo either.
    public func include(file path: String) { fallback.include(file: path) }

    public func include(directory path: String) { fallback.include(directory: path) }

    /// Appends everything recorded since the last flush to the segment (one write) and
    /// returns its `fdatasync` and the attachments' fsyncs. Records whose flush fails are
    /// written again, ahead of newer ones, by the next flush (their replies said fail).
    public func beginFlush() -> DurableSync {
        precondition(flushing.isEmpty, "one flush at a time")
        var steps: [@Sendable () -> FileError?] = []
        var failure: FileError?
        if !pending.isEmpty {
            do {
                let segment = try segment(withRoom: pending.count)
                try segment.append(pending)
                swap(&flushing, &pending)
                steps.append { segment.sync() }
            } catch {
                failure = error
            }
        }
        let attachments = fallback.batch.handOff()
        if !attachments.isEmpty { steps.append { attachments.run() } }
        return DurableSync(failure: failure, steps: steps)
    }

    public func finishFlush(_ sync: DurableSync) {
        defer { flushing.removeAll(keepingCapacity: true) }
        guard sync.failure == nil else {
            pending = flushing + pending
            return
        }
        uncheckpointedBytes += flushing.count
        if !flushing.isEmpty, uncheckpointedSince == nil { uncheckpointedSince = now() }
    }

    /// The current segment, or a new one when `count` bytes do not fit.
    func segment(withRoom count: Int) throws(FileError) -> JournalSegment {
        if let current, current.room >= count { return current }
        let sequence = (current?.sequence ?? lastSequence()) + 1
        let path = directory + "/" + JournalSegment.name(sequence)
        // The spare may be half-written while a checkpoint runs.
        if !checkpointRunning, count <= settings.segmentBytes, FileOps.exists(sparePath) {
            try FileOps.rename(sparePath, path)
        } else {
            try JournalSegment.create(path: path, size: max(settings.segmentBytes, count))
        }
        try JournalCheckpoint.syncDirectory(directory)
        let segment = try JournalSegment(open: path, sequence: sequence)
        current = segment
        return segment
    }

    func segmentFiles() -> [(sequence: UInt64, path: String)] {
        FileOps.listIfPresent(directory).compactMap { name in
            JournalSegment.sequence(ofName: name).map { ($0, directory + "/" + name) }
        }.sorted { $0.sequence < $1.sequence }
    }

    func lastSequence() -> UInt64 { segmentFiles().last?.sequence ?? 0 }

    // MARK: Checkpoints

    public var hasUncheckpointedRecords: Bool { uncheckpointedBytes > 0 }

    /// Whether the loop should start a checkpoint now.
    public var wantsCheckpoint: Bool {
        guard !checkpointRunning else { return false }
        if uncheckpointedBytes >= settings.checkpointBytes { return true }
        if let since = uncheckpointedSince, now() - since >= settings.checkpointInterval { return true }
        return false
    }

    /// Marks the current end of the journal as the point the next checkpoint covers; run the
    /// returned checkpoint (off the loop), then call `finishCheckpoint`.
    public func beginCheckpoint(prepareSpare: Bool = true) -> JournalCheckpoint {
        checkpointRunning = true
        let sequence = current?.sequence ?? lastSequence()
        let sealed = segmentFiles().filter { $0.sequence < sequence }.map(\.path)
        return JournalCheckpoint(root: root, directory: directory, position: (sequence, current?.offset ?? 0),
                                 sealed: sealed, spare: prepareSpare ? sparePath : nil, segmentBytes: settings.segmentBytes,
                                 coveredBytes: uncheckpointedBytes)
    }

    public func finishCheckpoint(_ checkpoint: JournalCheckpoint, failure: String?) {
        checkpointRunning = false
        guard failure == nil else { return }
        uncheckpointedBytes -= checkpoint.coveredBytes
        uncheckpointedSince = uncheckpointedBytes > 0 ? now() : nil
    }

    /// A checkpoint on the calling thread (clean stop): flush, sync, drop.
    public func checkpointNow() throws(FileError) {
        try flush()
        let checkpoint = beginCheckpoint()
        let failure = checkpoint.run()
        finishCheckpoint(checkpoint, failure: failure)
        if let failure { throw FileError("checkpoint", directory, reason: failure) }
    }
}
