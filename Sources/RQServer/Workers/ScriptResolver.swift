import Foundation

/// A queue's `script`, relative to the root or absolute, resolved through symlinks at each
/// run (spec README §3) so a redeployed link takes effect on the next message.
enum ScriptResolver {
    /// The real path, when it names an executable regular file.
    static func resolve(_ script: String, root: String) -> String? {
        let path = script.hasPrefix("/") ? script : root + "/" + script
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        let resolved = String(cString: real)
        var info = stat()
        guard stat(resolved, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, access(resolved, X_OK) == 0 else { return nil }
        return resolved
    }
}
