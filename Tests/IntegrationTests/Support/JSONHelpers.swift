import Foundation

/// Loose JSON access for assertions.
func parseJSON(_ text: String) -> Any? {
    try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

/// The short id at the end of a full message id.
func shortID(_ fullID: String) -> String {
    String(fullID.split(separator: "/").last ?? "")
}

/// Percent-encodes a form value for `application/x-www-form-urlencoded`.
func formEncode(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}

extension ServerFixture {
    /// Creates a queue over the manager socket; paused ones keep their messages in `que`.
    func createQueue(_ name: String, script: String = "/bin/true", paused: Bool = false, extra: String = "") throws {
        if paused { FileManager.default.createFile(atPath: "\(root)/config/\(name).pause", contents: nil) }
        let reply = try rq1("config/queuemgr.sock", "create_queue {\"name\":\"\(name)\",\"script\":\"\(script)\",\"num_workers\":1,\"exec_prefix\":\"\"\(extra)}")
        guard reply == #"["success","queue created - awesome"]"# else { throw FixtureError.failed("create_queue: \(reply)") }
    }

    /// POSTs a message as JSON and returns the parsed reply.
    func postMessage(_ queue: String, _ mesg: String) throws -> (status: Int, body: String) {
        try http("/q/\(queue)/new_message", ["--data", "x_format=json&mesg=" + formEncode(mesg)])
    }

    func messageJSON(_ queue: String, _ id: String) throws -> [String: Any]? {
        let r = try http("/q/\(queue)/\(id).json")
        return r.status == 200 ? parseJSON(r.body) as? [String: Any] : nil
    }
}
