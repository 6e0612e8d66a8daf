import Foundation

/// A config rejected by validation; `message` is the exact reply text.
public struct QueueConfigError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension QueueConfig {
    /// Parses and validates a queue config object.
    ///
    /// The first checks and their texts are the original's `validate_options`, in its order.
    /// With `requireNumWorkers == false` (create_queue, configs found on disk) a missing
    /// `num_workers` means 1, the spec's recommended default; `create_queue_link` passes true.
    public static func parse(_ value: JSONValue, requireNumWorkers: Bool = false) throws(QueueConfigError) -> QueueConfig {
        guard let object = value.objectValue else { throw QueueConfigError("json config is not a JSON object") }

        guard let nameValue = object["name"] else { throw QueueConfigError("json config is missing name field") }
        if let name = nameValue.stringValue, !(1...128).contains(name.count) {
            throw QueueConfigError("json config has invalid name (size)")
        }
        guard let name = nameValue.stringValue else { throw QueueConfigError("json config has invalid name (not String)") }

        var numWorkers = 1
        if let workersValue = object["num_workers"] {
            numWorkers = workersValue.rubyToInt
            guard (1...maxWorkers).contains(numWorkers) else {
                throw QueueConfigError("json config has invalid num_workers field (out of range 1..128)")
            }
        } else if requireNumWorkers {
            throw QueueConfigError("json config is missing num_workers field")
        }

        guard let scriptValue = object["script"] else { throw QueueConfigError("json config is missing script field") }
        if let script = scriptValue.stringValue, !(1...1024).contains(script.count) {
            throw QueueConfigError("json config has invalid script (size)")
        }
        guard let script = scriptValue.stringValue else { throw QueueConfigError("json config has invalid script (not String)") }

        var execPrefix: String?
        switch object["exec_prefix"] {
        case nil, .null?: execPrefix = nil
        case .string(let s)?: execPrefix = s
        case _?: throw QueueConfigError("json config has invalid exec_prefix (not String)")
        }

        let envVars = object["env_vars"]?.objectValue ?? [:]

        let coalesceParams: [Int]
        if object["coalesce"]?.isTruthyFlag == true {
            // Legacy form: coalesce + coalesce_paramN flags.
            coalesceParams = (1...4).filter { object["coalesce_param\($0)"]?.isTruthyFlag == true }
        } else {
            coalesceParams = try paramList(object["coalesce_params"], field: "coalesce_params")
        }
        let blockingParams = try paramList(object["blocking_params"], field: "blocking_params")

        var fsync = true
        var fsyncGiven = false
        if let fsyncValue = object["fsync"], !fsyncValue.isNull {
            fsyncGiven = true
            switch fsyncValue {
            case .string("fsync"), .bool(true): fsync = true
            case .string("no-fsync"), .bool(false): fsync = false
            default: throw QueueConfigError("json config has invalid fsync field (fsync or no-fsync)")
            }
        }

        var timeout: Double?
        if let timeoutValue = object["timeout"], !timeoutValue.isNull {
            let seconds: Double?
            switch timeoutValue {
            case .number(let n): seconds = n
            case .string(let s): seconds = Double(s.trimmingCharacters(in: .whitespaces))
            default: seconds = nil
            }
            guard let seconds, seconds.isFinite, seconds > 0 else {
                throw QueueConfigError("json config has invalid timeout field (seconds > 0)")
            }
            timeout = seconds
        }

        return QueueConfig(name: name, script: script, numWorkers: numWorkers, execPrefix: execPrefix,
                           envVars: envVars, coalesceParams: coalesceParams, blockingParams: blockingParams,
                           fsync: fsync, fsyncGiven: fsyncGiven, timeout: timeout)
    }

    /// A list of param numbers 1...4 given as numbers or numeric strings. Empty strings are
    /// skipped: web forms post them for unticked boxes.
    static func paramList(_ value: JSONValue?, field: String) throws(QueueConfigError) -> [Int] {
        let items: [JSONValue]
        switch value {
        case nil, .null?: return []
        case .array(let a)?: items = a
        case .string(let s)? where s.isEmpty: return []
        case let single?: items = [single]
        }
        var result: [Int] = []
        for item in items {
            if item == .string("") { continue }
            let number: Int?
            switch item {
            case .number(let n) where n == n.rounded(): number = Int(exactly: n)
            case .string(let s): number = Int(s.trimmingCharacters(in: .whitespaces))
            default: number = nil
            }
            guard let number, (1...4).contains(number) else {
                throw QueueConfigError("json config has invalid \(field) (param numbers 1..4)")
            }
            if !result.contains(number) { result.append(number) }
        }
        return result
    }
}
