/// A full message id (`http://host:port/q/<queue>/<id>`) split the way layout.md §1.6.1 says:
/// queue = first match of `/q/([^/]+)`, short id = first match of `/q/[^/]+/([^/]+)`. Host, port
/// and root are ignored, so any `…/q/<queue>/<id>` string works.
struct FullMessageId: Equatable {
    let full: String
    let queue: String
    let shortId: String

    init(_ full: String) throws(CLIFailure) {
        guard let queueMatch = full.firstMatch(of: /\/q\/([^\/]+)/),
              let idMatch = full.firstMatch(of: /\/q\/[^\/]+\/([^\/]+)/)
        else {
            throw CLIFailure("invalid full message id: \(full)")
        }
        self.full = full
        self.queue = String(queueMatch.1)
        self.shortId = String(idMatch.1)
    }
}
