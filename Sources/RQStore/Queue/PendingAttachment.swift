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
