/// The content of a message's `msg` file (layout §1.5): only canonical fields are kept, so stale
/// keys the original persisted (`path`, `state`, `status`, `_attachments`) vanish on rewrite.
public struct Message: Equatable, Sendable {
    public static let defaultMaxCount = 15

    public var msgID: String
    public var dest: String
    public var origMsgID: String
    public var count: Int
    public var maxCount: Int
    public var src: JSONValue?
    /// param1...param4 (index 0 is param1); each any JSON, normally a string.
    public var params: [JSONValue?]
    public var postRunWebhook: [String]?
    /// Earliest start, epoch seconds.
    public var due: Int
    public var forceRemote: JSONValue?
    public var clonedFrom: String?
    /// Full ids of messages coalesced into this one.
    public var dups: [String]?
    /// Full id of the message that absorbed this one.
    public var dup: String?

    public init(msgID: String, dest: String, origMsgID: String, count: Int = 0, maxCount: Int = Message.defaultMaxCount,
                src: JSONValue? = nil, params: [JSONValue?] = [nil, nil, nil, nil], postRunWebhook: [String]? = nil,
                due: Int, forceRemote: JSONValue? = nil, clonedFrom: String? = nil, dups: [String]? = nil,
                dup: String? = nil) {
        self.msgID = msgID
        self.dest = dest
        self.origMsgID = origMsgID
        self.count = count
        self.maxCount = maxCount
        self.src = src
        self.params = Array((params + [nil, nil, nil, nil]).prefix(4))
        self.postRunWebhook = postRunWebhook
        self.due = due
        self.forceRemote = forceRemote
        self.clonedFrom = clonedFrom
        self.dups = dups
        self.dup = dup
    }

    /// param `n` (1...4), nil when absent or out of range.
    public func param(_ n: Int) -> JSONValue? {
        guard (1...4).contains(n) else { return nil }
        return params[n - 1]
    }

    /// The param as the text scripts see in `RQ_PARAMn`: strings verbatim, other JSON encoded,
    /// absent as "".
    public func paramText(_ n: Int) -> String {
        switch param(n) {
        case nil, .null?: return ""
        case .string(let s)?: return s
        case let other?: return other.compactString
        }
    }

    /// Ruby truthiness (anything but nil/false), except that an empty string from a web form
    /// does not count.
    public var isForceRemote: Bool {
        switch forceRemote {
        case nil, .null?, .bool(false)?, .string("")?: return false
        default: return true
        }
    }

    /// The `msg` file content, in the original's key order.
    public var json: JSONObject {
        var object = JSONObject()
        object["msg_id"] = .string(msgID)
        object["dest"] = .string(dest)
        object["orig_msg_id"] = .string(origMsgID)
        object["count"] = .int(count)
        object["max_count"] = .int(maxCount)
        if let src { object["src"] = src }
        for n in 1...4 { if let p = params[n - 1] { object["param\(n)"] = p } }
        if let postRunWebhook { object["post_run_webhook"] = .array(postRunWebhook.map { .string($0) }) }
        object["due"] = .int(due)
        if let forceRemote { object["force_remote"] = forceRemote }
        if let clonedFrom { object["cloned_from"] = .string(clonedFrom) }
        if let dups { object["dups"] = .array(dups.map { .string($0) }) }
        if let dup { object["dup"] = .string(dup) }
        return object
    }
}
