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
