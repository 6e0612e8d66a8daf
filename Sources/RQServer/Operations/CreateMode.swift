/// How a new message is stored: the rq1 commands `create_message`, `prep_message`,
/// `single_que`, and the `_method` of `POST /q/<q>/new_message`.
public enum CreateMode: String, CaseIterable, Sendable {
    /// Stored and queued (`create_message`, `_method=commit`).
    case commit
    /// Stored in prep only, to be attached to and committed later.
    case prep
    /// The queue's most recently queued message if there is one, else like `commit`.
    case singleQue = "single_que"
}
