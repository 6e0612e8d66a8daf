import Foundation

public enum InstallError: Error, Equatable, CustomStringConvertible {
    /// A config exists and `force` was not given (rq-install prints this and exits 1).
    case alreadyInstalled
    case failed(String)

    public var description: String {
        switch self {
        case .alreadyInstalled: return "Already installed"
        case .failed(let why): return why
        }
    }
}

/// `rq-install`: a new installation root.
public enum Installation {
    /// The special queues every installation has.
    public static let defaultQueues = ["relay", "cleaner", "webhook", "debug", "rq_router"]

    /// Writes `config/config.json`, creates `queue/ scandir/ timers/ log/` and the default
    /// queues (script `<root>/default_scripts/<name>/run`, one worker, empty exec_prefix, as
    /// the original's scandir made them), `scandir/<name>` → `../default_scripts/<name>` and
    /// the cleaner's daily timer. The queues are made here rather than by scandir's first
    /// pass so that they are UP the moment the server starts.
    /// `port` given ⇒ written as a string, as rq-install does with command-line values.
    @discardableResult
    public static func install(root: String, host: String? = nil, port: Int? = nil, addr: String? = nil,
                               env: String? = nil, tmpdir: String? = nil, allowNewQueue: Bool = true,
                               force: Bool = false) throws(InstallError) -> RootConfig {
        let root = (root as NSString).standardizingPath
        if FileOps.exists(RootConfig.path(root: root)), !force { throw .alreadyInstalled }
        let config = RootConfig(env: env ?? "development", host: host ?? "127.0.0.1",
                                port: port ?? RootConfig.defaultPort, portIsString: port != nil,
                                addr: addr ?? "127.0.0.1", tmpdir: tmpdir ?? "/tmp", allowNewQueue: allowNewQueue)
        do throws(FileError) {
            try config.save(root: root)
            for dir in ["queue", "scandir", "timers", "log"] { try FileOps.makeDirectories(root + "/" + dir) }
            for name in defaultQueues {
                try installDefaultQueue(name, root: root)
                try installDefaultScript(name, root: root)
                let link = root + "/scandir/" + name
                if !FileOps.exists(link), symlink("../default_scripts/" + name, link) != 0 {
                    throw FileError("symlink", link)
                }
            }
            try installCleanerTimer(root: root)
        } catch {
            throw .failed(error.description)
        }
        return config
    }

    /// Writes the bundled script of `name`, if there is one and the operator has none there.
    static func installDefaultScript(_ name: String, root: String) throws(FileError) {
        guard let text = DefaultScripts.scripts[name] else { return }
        let dir = root + "/default_scripts/" + name
        guard !FileOps.exists(dir + "/run") else { return }
        try FileOps.makeDirectories(dir)
        try FileOps.writeAtomically(directory: dir, name: "run", tmpName: "run.tmp", Array(text.utf8))
        guard chmod(dir + "/run", 0o755) == 0 else { throw FileError("chmod", dir + "/run") }
    }

    /// `timers/cleaner.json` → `../default_scripts/cleaner/timer.json`, unless `timers/cleaner.json`
    /// exists (even as a dangling link): an operator's own cleaner timer is kept.
    static func installCleanerTimer(root: String) throws(FileError) {
        let dir = root + "/default_scripts/cleaner"
        try FileOps.makeDirectories(dir)
        if !FileOps.exists(dir + "/timer.json") {
            try FileOps.writeAtomically(directory: dir, name: "timer.json", tmpName: "timer.json.tmp",
                                        Array((DefaultScripts.cleanerTimer + "\n").utf8))
        }
        let link = root + "/timers/cleaner.json"
        guard !FileOps.exists(link) else { return }
        guard symlink("../default_scripts/cleaner/timer.json", link) == 0 else { throw FileError("symlink", link) }
        // The first run is one period after installing, not at the first start: a server
        // installed over restored data must not delete anything before anyone looked.
        let timers = TimerDirectory(root: root)
        var state = timers.loadState()
        state["cleaner"] = Date().timeIntervalSince1970.rounded(.down)
        try timers.saveState(state)
    }

    static func installDefaultQueue(_ name: String, root: String) throws(FileError) {
        let dir = root + "/queue/" + name
        for state in MessageState.allCases { try FileOps.makeDirectories(dir + "/" + state.rawValue) }
        // An existing queue keeps its config (reinstalling with --force must not reset it).
        guard !FileOps.exists(dir + "/config.json") else { return }
        let config = QueueConfig(name: name, script: root + "/default_scripts/" + name + "/run", numWorkers: 1,
                                 execPrefix: "")
        try FileOps.writeAtomically(directory: dir, name: "config.json", tmpName: "config.json.tmp",
                                    config.json.compactBytes)
    }
}
