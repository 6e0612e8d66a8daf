import Foundation

/// `scandir/` (reference/queue-config.md §2.3.3): a symlink `scandir/<name>` to a directory
/// with an executable `run` and an optional `config.json` declares the queue `<name>`.
public struct ScandirDirectory {
    public let path: String

    public init(root: String) { path = root + "/scandir" }

    /// A qualifying entry: the queue config it derives and what it was derived from.
    public struct Declared: Equatable, Sendable {
        public let name: String
        /// `<dir>/config.json` (or `{}`), then `name`, `script` = realpath of `run`, and
        /// `num_workers` 1 / `exec_prefix` "" when absent, as the original's scandir.
        public let config: QueueConfig
        /// Changes whenever the link target, the script path or the config file content do.
        public let fingerprint: [UInt8]

        public init(name: String, config: QueueConfig, fingerprint: [UInt8]) {
            self.name = name
            self.config = config
            self.fingerprint = fingerprint
        }
    }

    public enum Entry: Equatable, Sendable {
        case declared(Declared)
        /// The entry qualifies but its config does not (the reason is for the log); it counts
        /// as absent, as in the original.
        case broken(reason: String)
    }

    /// Every qualifying entry by queue name. Names that are not symlinks, whose target is
    /// not a directory or has no executable `run` do not qualify and are left out.
    public func scan() -> [String: Entry] {
        var entries: [String: Entry] = [:]
        for name in FileOps.listIfPresent(path) where QueueName.isValid(name) {
            let link = path + "/" + name
            guard let st = try? FileOps.linkStatus(link), (st.st_mode & S_IFMT) == S_IFLNK,
                  FileOps.isDirectory(link), access(link + "/run", X_OK) == 0,
                  let script = Self.realPath(link + "/run") else { continue }
            entries[name] = Self.declare(name: name, directory: link, script: script)
        }
        return entries
    }

    static func declare(name: String, directory: String, script: String) -> Entry {
        let configPath = directory + "/config.json"
        var bytes: [UInt8] = []
        var object = JSONObject()
        if FileOps.exists(configPath) {
            do {
                bytes = try FileOps.readRegularFile(configPath, maxSize: QueueRegistry.maxLinkedConfigSize)
            } catch {
                return .broken(reason: "cannot read config.json: \(error.reason)")
            }
            guard let parsed = (try? JSONValue.parse(bytes))?.objectValue else {
                return .broken(reason: "\(name) has invalid json in config.json - SKIPPING - !!")
            }
            object = parsed
        }
        object["name"] = .string(name)
        object["script"] = .string(script)
        if object["num_workers"] == nil { object["num_workers"] = .int(1) }
        if object["exec_prefix"] == nil { object["exec_prefix"] = .string("") }
        let config: QueueConfig
        do { config = try QueueConfig.parse(.object(object)) } catch { return .broken(reason: "config.json: \(error.message)") }
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: directory)) ?? ""
        return .declared(Declared(name: name, config: config, fingerprint: Array((target + "\n" + script + "\n").utf8) + bytes))
    }
}

extension ScandirDirectory {
    static func realPath(_ path: String) -> String? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }

    /// A hidden file in the queue directory: scandir created this queue, so scandir may also
    /// delete it when its link goes. Queues made any other way are never deleted by scandir.
    public static let ownerMarker = ".scandir"

    public static func markCreated(queueDirectory: String) throws(FileError) {
        try FileOps.writeFile(queueDirectory + "/" + ownerMarker, Array("created by scandir\n".utf8))
    }

    public static func wasCreated(queueDirectory: String) -> Bool {
        FileOps.exists(queueDirectory + "/" + ownerMarker)
    }
}
