import RQLoop

/// rq1 replies pass the group commit: an `ok` leaves only after its data is on disk.
extension GroupCommit {
    func reply(_ request: Rq1Request, _ payload: String) {
        deliver(payload) { request.reply(Reply.of($0) { $0 }) }
    }
}
