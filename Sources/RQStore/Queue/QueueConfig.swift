import OrderedCollections

/// `queue/<name>/config.json`, normalised.
public struct QueueConfig: Equatable, Sendable {
    public var name: String
    public var script: String
    public var numWorkers: Int
    /// nil means "absent" (the worker uses `bash -lc `); `""` execs the script directly.
    public var execPrefix: String?
    public var envVars: JSONObject
    public var coalesceParams: [Int]
    public var blockingParams: [Int]
    /// false when the file says `"fsync": "no-fsync"`: the queue's commits skip fsync.
    public var fsync: Bool
    /// Whether `fsync` was written in the file (so canonical output echoes it only then).
    public var fsyncGiven: Bool
    /// Optional job time limit in seconds.
    public var timeout: Double?

    public init(name: String, script: String, numWorkers: Int = 1, execPrefix: String? = nil,
                envVars: JSONObject = [:], coalesceParams: [Int] = [], blockingParams: [Int] = [],
                fsync: Bool = true, fsyncGiven: Bool = false, timeout: Double? = nil) {
        self.name = name
        self.script = script
        self.numWorkers = numWorkers
        self.execPrefix = execPrefix
        self.envVars = envVars
        self.coalesceParams = coalesceParams
        self.blockingParams = blockingParams
        self.fsync = fsync
        self.fsyncGiven = fsyncGiven
        self.timeout = timeout
    }

    public static let maxWorkers = 128

    /// Canonical form: the 7 fields of the original in its order, then `fsync` and `timeout`
    /// when the file had them. This is both what `create_queue` writes and the `config` reply.
    public var json: JSONValue {
        var object = JSONObject()
        object["name"] = .string(name)
        object["script"] = .string(script)
        object["num_workers"] = .int(numWorkers)
        if let execPrefix { object["exec_prefix"] = .string(execPrefix) }
        object["env_vars"] = .object(envVars)
        object["coalesce_params"] = .array(coalesceParams.map { .int($0) })
        object["blocking_params"] = .array(blockingParams.map { .int($0) })
        if fsyncGiven { object["fsync"] = .string(fsync ? "fsync" : "no-fsync") }
        if let timeout { object["timeout"] = .number(timeout) }
        return .object(object)
    }
}
