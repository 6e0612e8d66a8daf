import Foundation

/// Allocates message ids in one queue's `prep/` (layout §1.6): `mkdir prep/_<time>.<counter>`,
/// stat it for the inode, rename it to `prep/<time>.<inode>`. The counter makes the temporary
/// name unique even for thousands of allocations within one millisecond, so there is no
/// sleep-and-retry; the inode (held by the live directory) makes the final id unique.
public final class MessageIDAllocator {
    public let prepDirectory: String
    let now: () -> Double
    var counter: UInt64 = 0

    public init(prepDirectory: String, now: @escaping () -> Double) {
        self.prepDirectory = prepDirectory
        self.now = now
    }

    /// Creates `prep/<id>/` and returns the id.
    public func allocate() throws(FileError) -> String {
        let stamp = MessageTimestamp.format(now())
        var attempts = 0
        while true {
            counter &+= 1
            let tmp = prepDirectory + "/_" + stamp + "." + String(counter)
            if mkdir(tmp, 0o755) != 0 {
                // A leftover of a crashed run can hold this name: take the next counter value.
                if errno == EEXIST, attempts < 1000 {
                    attempts += 1
                    continue
                }
                throw FileError("mkdir", tmp)
            }
            let inode: UInt64
            do {
                inode = UInt64(try FileOps.status(tmp).st_ino)
            } catch {
                rmdir(tmp)
                throw error
            }
            let id = stamp + "." + String(inode)
            do {
                try FileOps.rename(tmp, prepDirectory + "/" + id)
            } catch {
                rmdir(tmp)
                throw error
            }
            return id
        }
    }

    /// Is `name` a temporary allocation directory (removed by start-up recovery)?
    public static func isTemporaryName(_ name: String) -> Bool { name.hasPrefix("_") }
}
