import Foundation

/// Thin POSIX wrappers. The store uses these rather than FileManager on hot paths (a commit is
/// a handful of syscalls and FileManager adds allocations and extra stats per call), and
/// because renames must fail instead of replacing, errno must be visible, and so on.
public enum FileOps {
    static func exists(_ path: String) -> Bool {
        (try? linkStatus(path)) != nil
    }

    /// `exists` for a path relative to an open directory (`AT_FDCWD`: the usual lookup). A
    /// scan of a million entries resolves short relative paths far cheaper than absolute ones.
    static func exists(_ path: String, relativeTo directory: Int32) -> Bool {
        var st = stat()
        return fstatat(directory, path, &st, AT_SYMLINK_NOFOLLOW) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        guard let st = try? status(path) else { return false }
        return (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// stat(2), following symlinks.
    static func status(_ path: String) throws(FileError) -> stat {
        var st = stat()
        guard stat(path, &st) == 0 else { throw FileError("stat", path) }
        return st
    }

    /// lstat(2).
    static func linkStatus(_ path: String) throws(FileError) -> stat {
        var st = stat()
        guard lstat(path, &st) == 0 else { throw FileError("lstat", path) }
        return st
    }

    /// mkdir that fails if the entry exists.
    static func makeDirectory(_ path: String) throws(FileError) {
        guard mkdir(path, 0o755) == 0 else { throw FileError("mkdir", path) }
    }

    /// `mkdir -p`; returns the directories it created, outermost first (for fsync bookkeeping).
    @discardableResult
    static func makeDirectories(_ path: String) throws(FileError) -> [String] {
        if isDirectory(path) { return [] }
        var created: [String] = []
        let parent = parentDirectory(path)
        if !parent.isEmpty, parent != path { created += try makeDirectories(parent) }
        if mkdir(path, 0o755) == 0 {
            created.append(path)
        } else if errno != EEXIST || !isDirectory(path) {
            throw FileError("mkdir", path)
        }
        return created
    }

    /// `NSString.deletingLastPathComponent` without the bridge (a job's end called it on
    /// every move): "/a/b/" → "/a", "/a" → "/", "/" → "/", "a" → "".
    static func parentDirectory(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        var parent = trimmed[..<slash]
        while parent.count > 1, parent.hasSuffix("/") { parent.removeLast() }
        return parent.isEmpty ? "/" : String(parent)
    }

    static func rename(_ from: String, _ to: String) throws(FileError) {
        guard Foundation.rename(from, to) == 0 else { throw FileError("rename", from + " -> " + to) }
    }

    static func link(_ from: String, _ to: String) throws(FileError) {
        guard Foundation.link(from, to) == 0 else { throw FileError("link", from + " -> " + to) }
    }

    static func unlinkIfPresent(_ path: String) throws(FileError) {
        if unlink(path) != 0, errno != ENOENT { throw FileError("unlink", path) }
    }

    /// `rm -rf`; a missing path is not an error.
    static func removeTree(_ path: String) throws(FileError) {
        guard exists(path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw FileError("remove", path, code: (error as NSError).code == NSFileNoSuchFileError ? ENOENT : EIO)
        }
    }

    /// Writes `data` to `path` (created or truncated), closing it before returning.
    static func writeFile(_ path: String, _ bytes: [UInt8]) throws(FileError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError("open", path) }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + written, buffer.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError("write", path)
            }
            written += n
        }
    }

    /// Writes via `<dir>/<tmpName>` then renames over `<dir>/<name>`, so readers see the old or
    /// the new content, never a torn one.
    public static func writeAtomically(directory: String, name: String, tmpName: String, _ bytes: [UInt8]) throws(FileError) {
        let tmp = directory + "/" + tmpName
        try writeFile(tmp, bytes)
        try rename(tmp, directory + "/" + name)
    }

    static func readFile(_ path: String, relativeTo directory: Int32 = AT_FDCWD) throws(FileError) -> [UInt8] {
        let fd = openat(directory, path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError("open", path) }
        defer { close(fd) }
        return try readAll(fd, path: path)
    }

    /// Reads to the end, sized by `fstat` so a small file takes one read into one buffer.
    private static func readAll(_ fd: Int32, path: String) throws(FileError) -> [UInt8] {
        var st = stat()
        let expected = fstat(fd, &st) == 0 ? max(Int(st.st_size), 0) : 0
        var result = [UInt8](repeating: 0, count: min(expected, 1 << 30) + 1)
        var filled = 0
        while true {
            if filled == result.count { result += [UInt8](repeating: 0, count: max(result.count, 16 * 1024)) }
            let n = result.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError("read", path)
            }
            if n == 0 {
                result.removeLast(result.count - filled)
                return result
            }
            filled += n
        }
    }

    /// Reads a small regular file named by a client. O_NONBLOCK and the fstat check keep a
    /// FIFO, a device (/dev/zero) or a huge file from blocking the loop or filling memory.
    static func readRegularFile(_ path: String, maxSize: Int) throws(FileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { throw FileError("open", path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileError("fstat", path) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw FileError("open", path, reason: "not a regular file") }
        guard st.st_size <= maxSize else { throw FileError("open", path, reason: "larger than \(maxSize) bytes") }
        return try readAll(fd, path: path)
    }

    /// Directory entry names except `.` and `..` (unsorted).
    static func list(_ path: String) throws(FileError) -> [String] {
        guard let reader = DirectoryReader(path: path) else { throw FileError("opendir", path) }
        var names: [String] = []
        while case let batch = reader.next(limit: 4096), !batch.isEmpty { names += batch }
        return names
    }

    /// Like `list` but an absent directory is empty.
    static func listIfPresent(_ path: String) -> [String] {
        (try? list(path)) ?? []
    }
}
