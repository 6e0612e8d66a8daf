/// The one line the queue writes to a script's fd 4 after a `dup`.
public enum DupReply: Equatable, Sendable {
    case ok(fullId: String)
    case fail(reason: String)

    /// `ok <full id>\n` or `fail <reason>\n`; embedded line breaks become spaces because the
    /// script reads exactly one line (`read -u 4`).
    public var line: String {
        switch self {
        case .ok(let fullId): return "ok \(Self.oneLine(fullId))\n"
        case .fail(let reason): return "fail \(Self.oneLine(reason))\n"
        }
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
    }
}
