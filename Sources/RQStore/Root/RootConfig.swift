import OrderedCollections

/// `config/config.json`: the installation-wide settings.
public struct RootConfig: Equatable, Sendable {
    public struct BasicAuth: Equatable, Sendable {
        public var realm: String
        /// user name → password
        public var users: OrderedDictionaryOfStrings

        public init(realm: String, users: OrderedDictionaryOfStrings) {
            self.realm = realm
            self.users = users
        }
    }

    public var env: String
    public var host: String
    public var port: Int
    /// rq-install writes a port given on its command line as a string; kept so a load/save
    /// round trip does not change the file.
    public var portIsString: Bool
    public var addr: String
    public var tmpdir: String?
    public var allowNewQueue: Bool
    /// URL prefix of the web app, always starting and ending with `/`.
    public var relativeRoot: String
    public var basicAuth: BasicAuth?
    public var allowedIPs: [String]
    /// Keys we do not interpret, written back unchanged.
    public var otherKeys: JSONObject

    public static let defaultPort = 3333

    public init(env: String = "development", host: String = "127.0.0.1", port: Int = RootConfig.defaultPort,
                portIsString: Bool = false, addr: String = "127.0.0.1", tmpdir: String? = "/tmp",
                allowNewQueue: Bool = true, relativeRoot: String = "/", basicAuth: BasicAuth? = nil,
                allowedIPs: [String] = [], otherKeys: JSONObject = [:]) {
        self.env = env
        self.host = host
        self.port = port
        self.portIsString = portIsString
        self.addr = addr
        self.tmpdir = tmpdir
        self.allowNewQueue = allowNewQueue
        self.relativeRoot = RootConfig.normaliseRelativeRoot(relativeRoot)
        self.basicAuth = basicAuth
        self.allowedIPs = allowedIPs
        self.otherKeys = otherKeys
    }

    /// `value.chomp('/') + '/'`, as the original.
    public static func normaliseRelativeRoot(_ value: String) -> String {
        var trimmed = Substring(value)
        if trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed + "/"
    }

    /// `http://<host>:<port><relative_root>`: every full message id starts with this.
    public var baseURL: String { "http://\(host):\(port)\(relativeRoot)" }

    /// The full message id of `id` in `queue`.
    public func fullID(queue: String, id: String) -> String { "\(baseURL)q/\(queue)/\(id)" }

    public var json: JSONValue {
        var object = JSONObject()
        object["env"] = .string(env)
        object["host"] = .string(host)
        object["port"] = portIsString ? .string(String(port)) : .int(port)
        object["addr"] = .string(addr)
        if let tmpdir { object["tmpdir"] = .string(tmpdir) }
        object["allow_new_queue"] = .bool(allowNewQueue)
        if relativeRoot != "/" { object["relative_root"] = .string(relativeRoot) }
        if let basicAuth {
            var users = JSONObject()
            for (user, password) in basicAuth.users { users[user] = .string(password) }
            object["basic_auth"] = ["realm": .string(basicAuth.realm), "users": .object(users)]
        }
        if !allowedIPs.isEmpty { object["allowed_ips"] = .array(allowedIPs.map { .string($0) }) }
        for (key, value) in otherKeys where object[key] == nil { object[key] = value }
        return .object(object)
    }
}
