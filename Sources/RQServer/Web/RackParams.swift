import RQStore

/// Rack-style nested form names (`queue[name]`, `queue[coalesce_params][]`,
/// `mesg[post_run_webhook][a]`) folded into a JSON object, as the original's forms sent them.
/// Hand-written: it is twenty lines and no package speaks Rack's convention.
enum RackParams {
    /// The object under `prefix` (e.g. `queue`), or nil when no field uses it.
    static func object(named prefix: String, in fields: [(name: String, value: String)]) -> JSONObject? {
        var object: JSONObject = [:]
        var found = false
        for (name, value) in fields {
            guard name.hasPrefix(prefix + "["), let close = name.firstIndex(of: "]") else { continue }
            found = true
            let key = String(name[name.index(name.startIndex, offsetBy: prefix.count + 1)..<close])
            let rest = name[name.index(after: close)...]
            if rest == "[]" {
                var list: [JSONValue] = []
                if case .array(let existing)? = object[key] { list = existing }
                list.append(.string(value))
                object[key] = .array(list)
            } else if rest.hasPrefix("["), rest.hasSuffix("]"), rest.count > 2 {
                let inner = String(rest.dropFirst().dropLast())
                var sub: JSONObject = [:]
                if case .object(let existing)? = object[key] { sub = existing }
                sub[inner] = .string(value)
                object[key] = .object(sub)
            } else if rest.isEmpty {
                object[key] = .string(value)
            }
        }
        return found ? object : nil
    }
}
