import RQStore

/// The environment of one queue script run (worker-protocol.md §6.3), from plain values.
public struct WorkerEnvironment: Sendable, Equatable {
    public static let rqVersion = "3.0.0"

    /// The server's own environment (`PATH`, `HOME`, …).
    public var inherited: [String: String]
    /// Root config `env`, exported as `RQ_ENV`.
    public var rqEnv: String
    /// Root config `tmpdir`, exported as `TMPDIR` when present.
    public var tmpdir: String?
    /// Root config `host`, `port` (as text) and `relative_root` (normalised here).
    public var host: String
    public var port: String
    public var relativeRoot: String?
    /// `script` exactly as configured, and its resolved absolute path.
    public var script: String
    public var resolvedScript: String
    /// The message's `dest`.
    public var dest: String
    public var shortId: String
    public var fullId: String
    /// Absolute path of the job dir (the script's initial cwd).
    public var jobDirectory: String
    public var count: Int
    /// `param1`…`param4` already as text (index 0 is param1); absent ones are nil.
    public var params: [String?]
    public var origMsgId: String?
    public var forceRemote: Bool
    /// The queue's `env_vars`, values already as text.
    public var envVars: [String: String]

    public init(
        inherited: [String: String], rqEnv: String, tmpdir: String?, host: String, port: String,
        relativeRoot: String?, script: String, resolvedScript: String, dest: String,
        shortId: String, fullId: String, jobDirectory: String, count: Int, params: [String?],
        origMsgId: String?, forceRemote: Bool, envVars: [String: String]
    ) {
        self.inherited = inherited
        self.rqEnv = rqEnv
        self.tmpdir = tmpdir
        self.host = host
        self.port = port
        self.relativeRoot = relativeRoot
        self.script = script
        self.resolvedScript = resolvedScript
        self.dest = dest
        self.shortId = shortId
        self.fullId = fullId
        self.jobDirectory = jobDirectory
        self.count = count
        self.params = params
        self.origMsgId = origMsgId
        self.forceRemote = forceRemote
        self.envVars = envVars
    }

    /// Inherited variables minus `RUBYOPT` and minus any `RQ_*` (a server started from inside
    /// a job must not pass that job's `RQ_FORCE_REMOTE` etc. on). The same for every run of
    /// one server, so `ProcessRunner` builds them once (`SharedEnvironment`).
    public static func inheritable(_ inherited: [String: String]) -> [String: String] {
        inherited.filter { $0.key != "RUBYOPT" && !$0.key.hasPrefix("RQ_") }
    }

    /// Everything a run's script gets: the inheritable variables, replaced by `ownVariables()`.
    public func variables() -> [String: String] {
        Self.inheritable(inherited).merging(ownVariables()) { _, own in own }
    }

    /// What is particular to this run, replacing inherited variables of the same name:
    /// `RQ_ENV`/`TMPDIR`, then `env_vars` without `RQ_*` keys, then the `RQ_*` table of §6.3.
    public func ownVariables() -> [String: String] {
        var result: [String: String] = [:]
        result["RQ_ENV"] = rqEnv
        if let tmpdir { result["TMPDIR"] = tmpdir }
        for (key, value) in envVars where !key.hasPrefix("RQ_") {
            result[key] = value
        }
        let destination = Self.destination(dest, host: host, port: port)
        result["RQ_VER"] = Self.rqVersion
        result["RQ_SCRIPT"] = script
        result["RQ_REALSCRIPT"] = resolvedScript
        result["RQ_HOST"] = "http://\(host):\(port)\(Self.normalisedRelativeRoot(relativeRoot))"
        result["RQ_PORT"] = port
        result["RQ_DEST"] = destination.url
        result["RQ_DEST_QUEUE"] = destination.queue
        result["RQ_MSG_ID"] = shortId
        result["RQ_FULL_MSG_ID"] = fullId
        result["RQ_MSG_DIR"] = jobDirectory
        result["RQ_PIPE"] = "3"
        result["RQ_WRITE"] = "3"
        result["RQ_READ"] = "4"
        result["RQ_COUNT"] = String(count)
        for number in 1...4 {
            let index = number - 1
            result["RQ_PARAM\(number)"] = (index < params.count ? params[index] : nil) ?? ""
        }
        result["RQ_ORIG_MSG_ID"] = origMsgId ?? ""
        if forceRemote { result["RQ_FORCE_REMOTE"] = "1" }
        return result
    }

    /// layout.md §1.6.2: a `http:` dest is used verbatim (queue = first `/q/<name>`
    /// segment, or the dest itself when there is none); otherwise
    /// `http://<host>:<port>/q/<dest>/` without relative_root.
    public static func destination(_ dest: String, host: String, port: String) -> (url: String, queue: String) {
        guard dest.hasPrefix("http:") else { return ("http://\(host):\(port)/q/\(dest)/", dest) }
        return (dest, MessageID.queueName(from: dest) ?? dest)
    }

    /// `value.chomp('/') + '/'`, absent means `/`.
    public static func normalisedRelativeRoot(_ value: String?) -> String {
        guard var root = value else { return "/" }
        if root.hasSuffix("/") { root.removeLast() }
        return root + "/"
    }
}
