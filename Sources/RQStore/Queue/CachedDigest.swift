import Foundation

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
