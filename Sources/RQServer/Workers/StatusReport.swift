/// One status line as the queue understands it (worker-protocol.md §6.4): the command and
/// the text that becomes the message's `job_status`, whatever the command.
public struct StatusReport: Equatable, Sendable {
    public let command: StatusCommand
    /// nil when the line has no text after the command (`"done"`), `""` for `"done "`.
    public let text: String?

    public init(command: StatusCommand, text: String?) {
        self.command = command
        self.text = text
    }

    /// Splits awk-style like Ruby's `split(' ', 2)`: leading whitespace skipped, the command
    /// is the first word, the text is everything after the whitespace run that follows it,
    /// kept verbatim (trailing spaces included).
    public init(parsing line: String) {
        let scalars = line.unicodeScalars
        guard let commandStart = scalars.firstIndex(where: { !Self.isSpace($0) }) else {
            self.init(command: .blank, text: nil)
            return
        }
        let commandEnd = scalars[commandStart...].firstIndex(where: Self.isSpace) ?? scalars.endIndex
        let word = String(scalars[commandStart..<commandEnd])
        var text: String?
        if commandEnd < scalars.endIndex {
            let textStart = scalars[commandEnd...].firstIndex(where: { !Self.isSpace($0) }) ?? scalars.endIndex
            text = String(scalars[textStart...])
        }
        self.init(command: StatusCommand(word: word, text: text), text: text)
    }

    /// Ruby's awk-mode whitespace: space, \t, \n, \v, \f, \r.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "\n", "\u{0B}", "\u{0C}", "\r": return true
        default: return false
        }
    }
}
