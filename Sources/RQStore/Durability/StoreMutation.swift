/// One logical change the store made on disk, emitted after the change is done (DESIGN.md
/// "Durability"). A `Durability` decides how it becomes durable: fsyncs of the paths it
/// touched, or a journal record replayed at start-up.
public struct StoreMutation: Equatable, Sendable {
    public let queue: String
    public let id: String
    public let change: Change

    public init(queue: String, id: String, _ change: Change) {
        self.queue = queue
        self.id = id
        self.change = change
    }

    public enum Change: Equatable, Sendable {
        /// `prep/<id>/msg` written for the first time (the compact JSON `msg` bytes).
        case created(msg: [UInt8])
        /// prep → que.
        case committed
        /// `que/<id>/msg` written: a message created and queued at once (create_message), whose
        /// directory was renamed from its temporary name in prep/ straight to que/.
        case queued(msg: [UInt8])
        /// The directory renamed between two states (hash-dir parents created as needed).
        case moved(from: MessageState, to: MessageState)
        /// `msg` replaced in the message's directory in `state`.
        case rewritten(state: MessageState, msg: [UInt8])
        /// `status` written (`{"job_status": text}`) in the message's directory in `state`.
        case status(state: MessageState, text: String?)
        /// `attach/<name>` hard-linked into the message's directory in `state`.
        case attached(state: MessageState, name: String)
        /// `attach/<name>` removed from a prep message.
        case attachmentRemoved(name: String)
        /// `err/<id>` renamed to `err/.<id>` (ack_errs).
        case acknowledged
        /// The message directory removed (delete_message).
        case deleted
    }

    /// Whether the record alone can redo the change: attachments carry file content that no
    /// record holds, so they must be made durable where they are.
    public var isReplayable: Bool {
        switch change {
        case .created, .committed, .queued, .moved, .rewritten, .status, .acknowledged, .deleted: return true
        case .attached, .attachmentRemoved: return false
        }
    }
}
