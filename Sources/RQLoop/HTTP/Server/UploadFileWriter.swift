internal import CEvent
import Crypto
import Foundation

/// Streams one uploaded file part to a new temp file, computing its MD5 and size on the way,
/// so that even a multi-gigabyte upload is never held in memory or hashed in one go.
final class UploadFileWriter {
    let path: String
    private var fd: Int32
    private var hasher = Insecure.MD5()
    private(set) var size: Int64 = 0
    /// Body data can arrive a few bytes at a time; writes are batched to keep syscalls few.
    private var pending: [UInt8] = []
    private static let flushThreshold = 64 * 1024
    /// Bytes on disk, and how many of them have been handed to writeback.
    private var written: Int64 = 0
    private var writebackStarted: Int64 = 0
    /// Writeback is started every this many bytes, so the fsync that makes the attachment
    /// durable finds little left to write (without it, a 1 GiB upload left hundreds of MiB
    /// dirty for that fsync, which held the loop; see perf/slices.sh).
    private static let writebackWindow: Int64 = 8 << 20

    init(directory: String) throws {
        let candidate = (directory as NSString).appendingPathComponent("upload-\(UUID().uuidString).tmp")
        let opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard opened >= 0 else {
            throw HTTPError.storage("cannot create upload file in \(directory): \(String(cString: strerror(errno)))")
        }
        path = candidate
        fd = opened
        pending.reserveCapacity(Self.flushThreshold)
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        hasher.update(bufferPointer: bytes)
        size += Int64(bytes.count)
        pending.append(contentsOf: bytes)
        if pending.count >= Self.flushThreshold { try flush() }
    }

    /// Closes the file and returns its lowercase hex MD5.
    func finish() throws -> String {
        try flush()
        close(fd)
        fd = -1
        return hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Closes and deletes the file (error, abandoned request).
    func discard() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        unlink(path)
    }

    private func flush() throws {
        var offset = 0
        while offset < pending.count {
            let result = pending[offset...].withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress, buffer.count)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw HTTPError.storage("cannot write upload file: \(String(cString: strerror(errno)))")
            }
            offset += result
        }
        written += Int64(pending.count)
        pending.removeAll(keepingCapacity: true)
        if written - writebackStarted >= Self.writebackWindow {
            // SYNC_FILE_RANGE_WRITE: queues the range for writeback and returns.
            _ = sync_file_range(fd, writebackStarted, written - writebackStarted, 2)
            writebackStarted = written
        }
    }
}
