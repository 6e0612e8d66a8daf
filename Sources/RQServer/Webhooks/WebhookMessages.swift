import RQStore

/// worker-protocol.md §6.9: a message that reaches done, err or relayed with a
/// `post_run_webhook` list gets one message per URL in the local `webhook` queue.
enum WebhookMessages {
    static let queue = "webhook"

    /// The `create_message` inputs: `param1` the URL, `param2` the finished message's JSON
    /// with its full id and its new state.
    static func inputs(for finished: Message, fullID: String, state: String) -> [JSONObject] {
        guard let urls = finished.postRunWebhook, !urls.isEmpty else { return [] }
        var json = finished.json
        json["msg_id"] = .string(fullID)
        json["state"] = .string(state)
        let text = JSONValue.object(json).compactString
        return urls.map { url in ["dest": .string(queue), "param1": .string(url), "param2": .string(text)] }
    }
}

extension WebhookMessages {
    /// Queues the webhook messages of a finished message; returns one problem text per URL
    /// that could not be queued (no `webhook` queue, disk full), for the server log. A
    /// finished message never waits for its webhooks.
    static func enqueue(for finished: Message, fullID: String, state: String, registry: QueueRegistry) -> [String] {
        let inputs = inputs(for: finished, fullID: fullID, state: state)
        guard !inputs.isEmpty else { return [] }
        guard let store = registry.queue(queue) else { return ["no \(queue) queue: post_run_webhook of \(fullID) skipped"] }
        var problems: [String] = []
        for input in inputs {
            do { _ = try store.createMessage(input) } catch {
                problems.append("webhook for \(fullID) to \(input["param1"]?.stringValue ?? ""): \(error.reason)")
            }
        }
        return problems
    }
}
