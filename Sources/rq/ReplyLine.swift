import RQStore

/// How the original printed a queue reply: `"#{result[0]} #{result[1]}"`.
enum ReplyLine {
    static func isOK(_ reply: [JSONValue]) -> Bool {
        reply.first == .string("ok")
    }

    /// First and second element separated by one space; a missing second element prints as
    /// empty, so `[ "ERROR" ]` gives `ERROR ` exactly like the original.
    static func plain(_ reply: [JSONValue]) -> String {
        let first = reply.first?.displayText ?? ""
        let second = reply.count > 1 ? reply[1].displayText : ""
        return first + " " + second
    }
}
