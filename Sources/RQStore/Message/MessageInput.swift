import Foundation

/// Turning caller input into a `Message` (create/prep/single_que) and reading `msg` files back.
extension Message {
    /// Keys a caller may set; everything else (`_method`, `x_format`, …) is dropped.
    public static let inputKeys: Set<String> = [
        "dest", "orig_msg_id", "count", "max_count", "src", "param1", "param2", "param3", "param4",
        "post_run_webhook", "due", "force_remote",
    ]

    public static let missingDest = "input missing required \"dest\" parameter"

    /// Validates input before an id is allocated, so a bad request leaves nothing on disk.
    public static func checkInput(_ input: JSONObject) -> String? {
        switch input["dest"] {
        case .string?: return nil
        default: return missingDest
        }
    }

    /// Builds a new message from caller input (layout §1.5): `count`/`max_count`/`due` become
    /// integers, `orig_msg_id` defaults to the message's own full id, `due` to `now`.
    public static func fromInput(_ input: JSONObject, msgID: String, fullID: String, now: Double) throws(StoreFailure) -> Message {
        guard case .string(let dest)? = input["dest"] else { throw StoreFailure(missingDest) }
        var message = Message(msgID: msgID, dest: dest, origMsgID: fullID, due: Int(now))
        if case .string(let orig)? = input["orig_msg_id"], !orig.isEmpty { message.origMsgID = orig }
        if let count = integer(input["count"]) { message.count = count }
        if let maxCount = integer(input["max_count"]) { message.maxCount = maxCount }
        if let src = input["src"], !src.isNull { message.src = src }
        for n in 1...4 {
            if let p = input["param\(n)"], !p.isNull { message.params[n - 1] = p }
        }
        message.postRunWebhook = webhookList(input["post_run_webhook"])
        if let due = integer(input["due"]) { message.due = due }
        if let force = input["force_remote"], !force.isNull { message.forceRemote = force }
        return message
    }

    /// Reads a stored `msg` object, tolerating stale derived keys and string numbers written by
    /// the original. Only `msg_id` is required.
    public static func fromStored(_ object: JSONObject) -> Message? {
        guard case .string(let msgID)? = object["msg_id"] else { return nil }
        let dest: String
        switch object["dest"] {
        case .string(let s)?: dest = s
        case nil, .null?: dest = ""
        case let other?: dest = other.compactString
        }
        var message = Message(msgID: msgID, dest: dest, origMsgID: object["orig_msg_id"]?.stringValue ?? "",
                              due: 0)
        message.count = integer(object["count"]) ?? 0
        message.maxCount = integer(object["max_count"]) ?? defaultMaxCount
        if let src = object["src"], !src.isNull { message.src = src }
        for n in 1...4 {
            if let p = object["param\(n)"], !p.isNull { message.params[n - 1] = p }
        }
        message.postRunWebhook = webhookList(object["post_run_webhook"])
        message.due = integer(object["due"]) ?? 0
        if let force = object["force_remote"], !force.isNull { message.forceRemote = force }
        message.clonedFrom = object["cloned_from"]?.stringValue
        if let dups = object["dups"]?.arrayValue { message.dups = dups.compactMap(\.stringValue) }
        message.dup = object["dup"]?.stringValue
        return message
    }

    /// Numbers or numeric strings as integers (Ruby `to_i`, or a truncated float string);
    /// absent, null and blank strings are nil so the default applies.
    static func integer(_ value: JSONValue?) -> Int? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?:
            let trimmed = s.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return nil }
            if let d = Double(trimmed), d.isFinite, d.magnitude < 9.0e18 { return Int(d.rounded(.towardZero)) }
            return RubyInteger.leadingValue(of: trimmed)
        case let other?:
            return other.rubyToInt
        }
    }

    /// A list of URLs: an array of strings, or one string split on blanks (web forms).
    static func webhookList(_ value: JSONValue?) -> [String]? {
        switch value {
        case .string(let s)?:
            let urls = s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).map(String.init)
            return urls.isEmpty ? nil : urls
        case .array(let items)?:
            return items.compactMap(\.stringValue)
        default:
            return nil
        }
    }
}
