import RQStore

/// A full message id (`http://host:port/q/<queue>/<id>`) split by RQStore's `MessageID`, which
/// applies layout.md §1.6.1 (queue = first match of `/q/([^/]+)`, short id = first match of
/// `/q/[^/]+/([^/]+)`). Host, port and root are ignored, so any `…/q/<queue>/<id>` string works;
/// unlike the server, the CLI refuses a bare short id, since it could not tell the queue.
struct FullMessageId: Equatable {
    let full: String
    let queue: String
    let shortId: String

    init(_ full: String) throws(CLIFailure) {
        guard let queue = MessageID.queueName(from: full), let shortId = MessageID.embeddedShortID(in: full) else {
            throw CLIFailure("invalid full message id: \(full)")
        }
        self.full = full
        self.queue = queue
        self.shortId = shortId
    }
}
