import RQStore

/// A message as `get_message` returns it, with the fields pages need.
struct MessageView {
    let queue: String
    let id: String
    let json: JSONValue

    var state: String { json["state"]?.stringValue ?? "" }
    var status: String { json["status"]?.stringValue ?? "" }
    /// Directory of the message, relative to the root.
    var path: String { json["path"]?.stringValue ?? "" }
}

/// The web speaks to queues through the same commands as the sockets, as the original's
/// web server did, so both interfaces give identical answers.
extension WebApp {
    func call(_ queue: String, _ command: String, _ argument: JSONObject = [:]) -> JSONValue {
        let reply = queues.handle(queue: queue, command: command, argument: JSONText.object(argument))
        return JSONValue.parsed(reply) ?? .null
    }

    func callText(_ queue: String, _ command: String, _ argument: JSONObject) -> String {
        queues.handle(queue: queue, command: command, argument: JSONText.object(argument))
    }

    func managerCall(_ command: String, _ argument: String) -> JSONValue {
        let reply = manager.handle(command: command, argument: argument)
        onQueuesChanged?()
        return JSONValue.parsed(reply) ?? .null
    }

    /// Read from the store rather than through `get_message`, which a DOWN queue refuses:
    /// operators still look at a DOWN queue's messages.
    func loadMessage(_ queue: String, _ id: String) -> MessageView? {
        guard let store = registry.queue(queue), let message = try? store.getMessage(id) else { return nil }
        return MessageView(queue: queue, id: id, json: .object(message))
    }

    /// `["ok", …]`?
    func isOK(_ reply: JSONValue) -> Bool { reply[0]?.stringValue == "ok" }

    func queueStatus(_ queue: String) -> String {
        call(queue, "status")[0]?.stringValue ?? "UNKNOWN"
    }

    func counts(_ queue: String) -> [String: Int] {
        var result: [String: Int] = [:]
        let reply = call(queue, "num_messages")
        for state in ["prep", "que", "run", "done", "err", "relayed"] {
            result[state] = reply[state]?.intValue ?? 0
        }
        return result
    }
}
