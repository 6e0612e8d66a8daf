import Foundation

/// The file a caller asks to attach. Both the queue (before hard-linking it) and the `rq` CLI
/// (before asking the queue, as the original client did) run these checks, so they live here
/// once and the two cannot drift apart.
public enum AttachmentSource {
    /// The original's checks in its order, with its failure texts; existence and type follow
    /// symlinks, as Ruby's `File` tests do. Returns the file's stat(2) for further checks
    /// (the queue compares its device with the message directory's).
    @discardableResult
    public static func check(_ pathname: String) throws(StoreFailure) -> stat {
        // A NUL would cut the C path short, so such a name can never be the file meant.
        guard !pathname.utf8.contains(0), let source = try? FileOps.status(pathname) else {
            throw StoreFailure("No such file \(pathname) to attach to message")
        }
        let type = source.st_mode & S_IFMT
        guard type != S_IFDIR else { throw StoreFailure("Attachment currently cannot be a directory \(pathname)") }
        guard access(pathname, R_OK) == 0 else { throw StoreFailure("Attachment currently cannot be read: \(pathname)") }
        guard type == S_IFREG else { throw StoreFailure("Attachment currently not of supported type: \(pathname)") }
        return source
    }
}
