import Foundation

/// Allocates message ids in one queue's `prep/` (layout §1.6): `mkdir prep/_<time>.<counter>`,
/// stat it for the inode, rename it to `prep/<time>.<inode>` (or, for new messages, to
/// `prep/` or `que/` once its msg is written: `reserve`). The counter makes the temporary
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
        let reserved = try reserve()
        do {
            try FileOps.rename(reserved.temporaryPath, prepDirectory + "/" + reserved.id)
        } catch {
            rmdir(reserved.temporaryPath)
            throw error
        }
        return reserved.id
    }

    /// A new message directory under its temporary name in prep/, and the id it was
    /// allocated (its inode names it); the caller renames it to where it belongs, or
    /// removes it.
    public func reserve() throws(FileError) -> (id: String, temporaryPath: String) {
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
            do {
                return (stamp + "." + String(try FileOps.status(tmp).st_ino), tmp)
            } catch {
                rmdir(tmp)
                throw error
            }
        }
    }

    /// Is `name` a temporary allocation directory (removed by start-up recovery)?
    public static func isTemporaryName(_ name: String) -> Bool { name.hasPrefix("_") }
}
