import Foundation

/// One checkpoint, prepared on the loop by `JournalDurability.beginCheckpoint()` and run by
/// `run()` on any thread: it touches only paths the loop no longer writes. Once the file
/// system is synced, every directory change recorded before `position` is durable without
/// the journal, so the sealed segments are dropped and replay starts at `position`.
public struct JournalCheckpoint: Sendable {
    let root: String
    let directory: String
    /// Segment and offset up to which records are covered.
    let position: (sequence: UInt64, offset: Int)
    /// Full segments older than `position`'s, oldest first.
    let sealed: [String]
    /// Where to prepare the next segment file, if none is ready.
    let spare: String?
    let segmentBytes: Int
    /// Record bytes written before `position` since the previous checkpoint.
    let coveredBytes: Int

    static let fileName = "checkpoint"

    /// nil when done; otherwise what failed (nothing is dropped then).
    public func run() -> String? {
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return FileError("open", root).description }
        let synced = DurableBatch.syncFileSystem(fd) == 0
        close(fd)
        guard synced else { return FileError("syncfs", root).description }
        do {
            try FileOps.writeAtomically(directory: directory, name: Self.fileName, tmpName: Self.fileName + ".tmp",
                                        Array("\(position.sequence) \(position.offset)\n".utf8))
            if let spare, !FileOps.exists(spare) { try JournalSegment.create(path: spare, size: segmentBytes) }
            for path in sealed { try FileOps.unlinkIfPresent(path) }
            try Self.syncDirectory(directory)
        } catch {
            return error.description
        }
        return nil
    }

    /// `<sequence> <offset>` of the last completed checkpoint, nil when none is readable.
    static func read(directory: String) -> (sequence: UInt64, offset: Int)? {
        guard let bytes = try? FileOps.readFile(directory + "/" + fileName) else { return nil }
        let fields = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let sequence = UInt64(fields[0]), let offset = Int(fields[1]), offset >= 0 else { return nil }
        return (sequence, offset)
    }

    static func syncDirectory(_ path: String) throws(FileError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError("open", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw FileError("fsync", path) }
    }
}
