/// The one place an answer waits for the durable point (DESIGN.md "Durability"): rq1 replies
/// and POST answers both come through here, so a client never hears `ok` for data not yet on
/// disk. How durability is reached is `GroupCommit`'s business.
extension GroupCommit {
    /// `send(.success(answer))` once everything written so far is durable, else
    /// `send(.failure(.notDurable))`.
    func deliver<Answer>(_ answer: Answer, _ send: @escaping (Result<Answer, QueueError>) -> Void) {
        afterDurable { durable in send(durable ? .success(answer) : .failure(.notDurable)) }
    }
}
