import Foundation

/// `job/relay_id`: the remote full id of the prepared copy, kept between attempts so a retry
/// reuses the remote's prepared message instead of preparing another. Written like the
/// original (`relay_id.tmp`, then rename), and synced before the next request: it is no store
/// mutation, so the group commit does not cover it, and two fsyncs per relayed message are
/// cheap next to the network round trips around them.
struct RelayIDFile {
    let jobDirectory: String

    var path: String { jobDirectory + "/relay_id" }
    private var tmpPath: String { jobDirectory + "/relay_id.tmp" }

    /// The remembered id, nil when there is none (or it is unreadable: then a new prep is made,
    /// which at worst leaves an unused prepared message on the remote).
    func read() -> String? {
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !text.isEmpty else { return nil }
        return text
    }

    func write(_ id: String) throws {
        let fd = open(tmpPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RelayFileError(operation: "open", path: tmpPath, errno: errno) }
        defer { close(fd) }
        let bytes = Array(id.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw RelayFileError(operation: "write", path: tmpPath, errno: errno) }
            written += n
        }
        guard fsync(fd) == 0 else { throw RelayFileError(operation: "fsync", path: tmpPath, errno: errno) }
        guard rename(tmpPath, path) == 0 else { throw RelayFileError(operation: "rename", path: path, errno: errno) }
        let dir = open(jobDirectory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dir >= 0 else { throw RelayFileError(operation: "open", path: jobDirectory, errno: errno) }
        defer { close(dir) }
        guard fsync(dir) == 0 else { throw RelayFileError(operation: "fsync", path: jobDirectory, errno: errno) }
    }

    func remove() {
        unlink(path)
    }
}

struct RelayFileError: Error, CustomStringConvertible {
    let operation: String
    let path: String
    let errno: Int32

    var description: String { "\(operation) \(path): \(String(cString: strerror(errno)))" }
}
