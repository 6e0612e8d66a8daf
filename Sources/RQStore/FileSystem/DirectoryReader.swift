import Glibc

/// Reads a directory's entry names a few at a time (`readdir`), so a directory of a million
/// entries can be listed between other work instead of in one call (`FileOps.list`).
final class DirectoryReader {
    private var handle: OpaquePointer?

    /// nil when the directory cannot be opened.
    init?(path: String) {
        guard let handle = opendir(path) else { return nil }
        self.handle = handle
    }

    deinit { close() }

    /// The open directory, for `openat`-style lookups of its entries (-1 once closed).
    var descriptor: Int32 { handle.map { dirfd($0) } ?? -1 }

    /// Up to `limit` more names (without `.` and `..`); an empty array at the end.
    func next(limit: Int) -> [String] {
        guard let handle else { return [] }
        var names: [String] = []
        while names.count < limit, let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private func close() {
        if let handle { closedir(handle) }
        handle = nil
    }
}
