import Crypto
import Foundation

/// Incremental md5 of a file: at most one 1 MiB slice per `hashSlice()` call, so a caller on
/// the event loop can spread a large file over iterations.
public final class FileDigest {
    public static let sliceSize = 1 << 20

    public let path: String
    var hasher = Insecure.MD5()
    var fd: Int32
    var buffer: [UInt8] = []
    /// Lowercase hex, set once the whole file has been read.
    public private(set) var md5: String?

    public init(path: String) throws(FileError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError("open", path) }
    }

    /// A digest known beforehand: `hashSlice()` is done at once and reads nothing.
    init(path: String, md5: String) {
        self.path = path
        fd = -1
        self.md5 = md5
    }

    deinit { closeFile() }

    /// Hashes the next slice; true once done.
    public func hashSlice() throws(FileError) -> Bool {
        if md5 != nil { return true }
        if buffer.isEmpty { buffer = [UInt8](repeating: 0, count: FileDigest.sliceSize) }
        var n: Int
        repeat {
            n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        } while n < 0 && errno == EINTR
        if n < 0 { throw FileError("read", path) }
        if n > 0 {
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            return false
        }
        md5 = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        closeFile()
        buffer = []
        return true
    }

    /// Reads the rest of the file at once (for callers that may block).
    public func finish() throws(FileError) -> String {
        while try !hashSlice() {}
        return md5 ?? ""
    }

    func closeFile() {
        if fd >= 0 { close(fd) }
        fd = -1
    }
}
