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

    /// `knownMD5`: the digest is already known (an upload hashed while received, a file hashed
    /// before), so the first `hashSlice()` finishes without reading.
    init(msgID: String, name: String, temporaryPath: String, finalPath: String, knownMD5: String?) throws(FileError) {
        self.msgID = msgID
        self.name = name
        self.temporaryPath = temporaryPath
        self.finalPath = finalPath
        if let knownMD5 {
            digest = FileDigest(path: temporaryPath, md5: knownMD5)
        } else {
            digest = try FileDigest(path: temporaryPath)
        }
    }

    /// Hashes the next slice; true once the whole file is hashed.
    public func hashSlice() throws(FileError) -> Bool { try digest.hashSlice() }

    /// Gives up: removes the temporary link.
    public func abandon() {
        digest.closeFile()
        unlink(temporaryPath)
    }
}
