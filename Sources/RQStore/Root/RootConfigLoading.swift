import Foundation

public enum RootConfigError: Error, Equatable, CustomStringConvertible {
    /// Missing, unreadable or not a JSON object (the manager's `Bad config file. Exiting`).
    case badConfigFile(String)
    /// `relative_root` must start with `/` (the web app refused to start otherwise).
    case badRelativeRoot(String)
    case badPort(String)

    public var description: String {
        switch self {
        case .badConfigFile(let why): return "Bad config file. Exiting (\(why))"
        case .badRelativeRoot(let value): return "Bad 'relative_root' in config json [\(value)]. Exiting"
        case .badPort(let value): return "Bad 'port' in config json [\(value)]. Exiting"
        }
    }
}

extension RootConfig {
    public static func path(root: String) -> String { root + "/config/config.json" }

    public static func load(root: String) throws(RootConfigError) -> RootConfig {
        let path = RootConfig.path(root: root)
        let bytes: [UInt8]
        do { bytes = try FileOps.readFile(path) } catch { throw .badConfigFile(error.description) }
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch { throw .badConfigFile(error.description) }
        return try parse(value)
    }

    public static func parse(_ value: JSONValue) throws(RootConfigError) -> RootConfig {
        guard var object = value.objectValue else { throw .badConfigFile("not a JSON object") }
        var config = RootConfig()
        if let env = object.removeValue(forKey: "env")?.stringValue { config.env = env }
        if let host = object.removeValue(forKey: "host")?.stringValue { config.host = host }
        if let addr = object.removeValue(forKey: "addr")?.stringValue { config.addr = addr }
        switch object.removeValue(forKey: "port") {
        case nil, .null?:
            break
        case .number(let n)?:
            guard n == n.rounded(), n >= 0, n <= 65535 else { throw .badPort(JSONValue.formatNumber(n)) }
            config.port = Int(n)
        case .string(let s)?:
            guard let port = Int(s.trimmingCharacters(in: .whitespaces)), (0...65535).contains(port) else {
                throw .badPort(s)
            }
            config.port = port
            config.portIsString = true
        case let other?:
            throw .badPort(other.compactString)
        }
        switch object.removeValue(forKey: "tmpdir") {
        case .string(let dir)?: config.tmpdir = dir
        default: config.tmpdir = nil
        }
        config.allowNewQueue = object.removeValue(forKey: "allow_new_queue")?.isTruthyFlag ?? false
        if let rel = object.removeValue(forKey: "relative_root")?.stringValue {
            guard rel.hasPrefix("/") else { throw .badRelativeRoot(rel) }
            config.relativeRoot = normaliseRelativeRoot(rel)
        }
        if let auth = object.removeValue(forKey: "basic_auth")?.objectValue {
            var users = OrderedDictionaryOfStrings()
            for (user, password) in auth["users"]?.objectValue ?? [:] {
                if let password = password.stringValue { users[user] = password }
            }
            config.basicAuth = BasicAuth(realm: auth["realm"]?.stringValue ?? "RQ", users: users)
        }
        if let ips = object.removeValue(forKey: "allowed_ips")?.arrayValue {
            config.allowedIPs = ips.compactMap(\.stringValue)
        }
        config.otherKeys = object
        return config
    }

    /// Writes config.json atomically (tmp + rename) as one line of compact JSON.
    public func save(root: String) throws(FileError) {
        try FileOps.makeDirectories(root + "/config")
        try FileOps.writeAtomically(directory: root + "/config", name: "config.json", tmpName: "config.json.tmp",
                                    json.compactBytes)
    }

    /// The manager's start-up check: a configured tmpdir must be an existing writable
    /// directory. Returns the exact log line when it is not.
    public func tmpdirProblem() -> String? {
        guard let tmpdir else { return nil }
        if FileOps.isDirectory(tmpdir), access(tmpdir, W_OK) == 0 { return nil }
        return "Bad 'tmpdir' in config json [\(tmpdir)]. Exiting"
    }
}
