import Foundation

/// One preallocated journal segment file, `journal/<sequence>.seg`, appended to at `offset`.
/// It is filled with zeros when created, so appending never allocates blocks: `fdatasync`
/// writes only data, with no file-system metadata to commit.
/// `sync` may run on a helper thread while the loop appends: the fd is fixed and closed only
/// when the last reference (the sync's included) is gone.
final class JournalSegment: @unchecked Sendable {
    let sequence: UInt64
    let path: String
    let size: Int
    private(set) var offset = 0
    private let fd: Int32

    init(open path: String, sequence: UInt64) throws(FileError) {
        let fd = Foundation.open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError("open", path) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let error = FileError("fstat", path)
            close(fd)
            throw error
        }
        self.fd = fd
        self.path = path
        self.sequence = sequence
        self.size = Int(st.st_size)
    }

    deinit { close(fd) }

    var room: Int { size - offset }

    /// Writes `bytes` at the end of what was written; nothing counts as written unless all
    /// of it was (a retry writes over a partial attempt).
    func append(_ bytes: [UInt8]) throws(FileError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, bytes.count - done, off_t(offset + done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError("write", path)
            }
            done += n
        }
        offset += bytes.count
    }

    func sync() -> FileError? {
        fdatasync(fd) == 0 ? nil : FileError("fdatasync", path)
    }

    static func name(_ sequence: UInt64) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".seg"
    }

    /// The sequence of a segment file name, nil for anything else (spares, corrupt copies).
    static func sequence(ofName name: String) -> UInt64? {
        guard name.hasSuffix(".seg"), name.count == 24 else { return nil }
        return UInt64(name.dropLast(4))
    }

    /// Whether the segment at `path` starts with a record (an unreadable one counts: it may).
    static func hasRecords(_ path: String) -> Bool {
        let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: JournalRecord.headerSize)
        let n = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
        return n != header.count || header.contains { $0 != 0 }
    }

    /// Creates a zero-filled file of `size` bytes at `path` and fsyncs it (not its directory).
    /// Safe on any thread: touches only `path`.
    static func create(path: String, size: Int) throws(FileError) {
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError("open", path) }
        let zeros = [UInt8](repeating: 0, count: min(size, 1 << 20))
        var written = 0
        var failure: FileError?
        while written < size, failure == nil {
            let n = zeros.withUnsafeBytes { Foundation.write(fd, $0.baseAddress!, min(zeros.count, size - written)) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = FileError("write", path)
            } else {
                written += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = FileError("fsync", path) }
        close(fd)
        if let failure {
            unlink(path)
            throw failure
        }
    }
}
