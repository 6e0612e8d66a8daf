import Foundation

/// An attachment hard-linked into `attach/` under a hidden temporary name while its md5 is
/// computed slice by slice (`digest.hashSlice()`); `QueueStore.finishAttach` then renames it
/// into place.
public final class PendingAttachment {
    public let msgID: String
    public let name: String
    /// `attach/.<name>.tmp`: dot-prefixed so listings never show it.
    public let temporaryPath: String
    public let finalPath: String
    public let digest: FileDigest

    init(msgID: String, name: String, temporaryPath: String, finalPath: String) throws(FileError) {
        self.msgID = msgID
        self.name = name
        self.temporaryPath = temporaryPath
        self.finalPath = finalPath
        digest = try FileDigest(path: temporaryPath)
    }

    /// Hashes the next slice; true once the whole file is hashed.
    public func hashSlice() throws(FileError) -> Bool { try digest.hashSlice() }

    /// Gives up: removes the temporary link.
    public func abandon() {
        digest.closeFile()
        unlink(temporaryPath)
    }
}

/// md5 of an attachment as of a given inode, size and mtime (attachments are hard links and
/// normally never change, so `get_message` need not rehash them on every read).
struct CachedDigest {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let mtimeSeconds: Int
    let mtimeNanos: Int
    let md5: String

    init(_ st: stat, md5: String) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        mtimeSeconds = st.st_mtim.tv_sec
        mtimeNanos = st.st_mtim.tv_nsec
        self.md5 = md5
    }

    func matches(_ st: stat) -> Bool {
        device == UInt64(st.st_dev) && inode == UInt64(st.st_ino) && size == Int64(st.st_size)
            && mtimeSeconds == st.st_mtim.tv_sec && mtimeNanos == st.st_mtim.tv_nsec
    }
}
