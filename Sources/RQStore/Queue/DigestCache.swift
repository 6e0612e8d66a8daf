import Foundation

/// md5s of attachment files, by inode. An attachment is one file hard-linked from state
/// directory to state directory, into clones and dups in other queues, so keyed by inode it is
/// hashed once, not again after every move. Size and mtime must still match: a file rewritten
/// in place is hashed again. Shared by every queue of a registry; loop-owned.
public final class DigestCache {
    /// Cleared when full: a rehash is the only cost, and memory stays bounded (~150 B/entry).
    static let capacity = 100_000

    private struct Key: Hashable {
        let device: UInt64
        let inode: UInt64
        init(_ st: stat) {
            device = UInt64(st.st_dev)
            inode = UInt64(st.st_ino)
        }
    }

    private struct Entry {
        let size: Int64
        let mtimeSeconds: Int
        let mtimeNanos: Int
        let md5: String
        init(_ st: stat, md5: String) {
            size = Int64(st.st_size)
            mtimeSeconds = st.st_mtim.tv_sec
            mtimeNanos = st.st_mtim.tv_nsec
            self.md5 = md5
        }
        func matches(_ st: stat) -> Bool {
            size == Int64(st.st_size) && mtimeSeconds == st.st_mtim.tv_sec && mtimeNanos == st.st_mtim.tv_nsec
        }
    }

    private var entries: [Key: Entry] = [:]

    public init() {}

    public var count: Int { entries.count }

    func md5(for st: stat) -> String? {
        guard let entry = entries[Key(st)], entry.matches(st) else { return nil }
        return entry.md5
    }

    func record(_ st: stat, md5: String) {
        if entries.count >= Self.capacity { entries.removeAll() }
        entries[Key(st)] = Entry(st, md5: md5)
    }

    func forget(_ st: stat) {
        entries[Key(st)] = nil
    }
}
