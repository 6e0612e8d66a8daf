import RQStore

/// The fields of an `attach_message` argument (uds-protocol §4.4.2).
struct AttachRequest {
    let id: String
    let pathname: String
    /// nil or empty: the file's own name.
    let name: String?

    init?(_ object: JSONObject?) {
        guard let id = CommandArgument.msgID(object), case .string(let pathname)? = object?["pathname"] else { return nil }
        self.id = id
        self.pathname = pathname
        if case .string(let given)? = object?["name"], !given.isEmpty { name = given } else { name = nil }
    }

    /// Why `init` refused `object`.
    static func problem(_ object: JSONObject?) -> QueueError {
        CommandArgument.msgID(object) == nil ? .lacking(field: "msg_id") : .lacking(field: "pathname")
    }
}
