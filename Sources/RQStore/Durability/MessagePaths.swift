/// Where a message of a queue lives in each state, relative to the installation root: the one
/// place the store, the durability implementations and recovery derive message paths from.
public enum MessagePaths {
    /// `queue/<queue>`
    public static func queueDirectory(_ queue: String) -> String { "queue/" + queue }

    /// `queue/<queue>/<state>`
    public static func stateDirectory(_ queue: String, _ state: MessageState) -> String {
        queueDirectory(queue) + "/" + state.rawValue
    }

    /// Directory of `id` in `state` (done/relayed: `YYYYMMDD/HH/MM/<id>`); nil only for hash
    /// states and malformed ids.
    public static func messageDirectory(_ queue: String, _ id: String, _ state: MessageState) -> String? {
        if state.isHashed {
            guard let sub = MessageID.hashPath(for: id) else { return nil }
            return stateDirectory(queue, state) + "/" + sub
        }
        return stateDirectory(queue, state) + "/" + id
    }
}
