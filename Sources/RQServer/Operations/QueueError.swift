import RQStore

/// Why a queue operation failed. Each interface maps it once: rq1 reply text (`rq1Reply`),
/// HTTP status and text (`httpStatus`, `httpText`), and the text pages show (`pageText`).
public enum QueueError: Error, Equatable, Sendable {
    case noSuchQueue
    /// Admin DOWN: every operation but ping/uptime/config/status/shutdown is refused.
    case down
    /// An rq1 argument without a required field (`msg_id`, `pathname`, `attachment_name`).
    case lacking(field: String)
    /// destroy and run_now: no such message in a state the operation applies to.
    case msgNotFound
    case alreadyRunning
    case notRunnable
    /// The data was written but could not be made durable: nobody may hear `ok`.
    case notDurable
    /// The store refused, with its reason (spec texts such as `cannot find message`).
    case refused(String)

    /// Operations throw `QueueError` or the store's `StoreFailure`; anything else is reported
    /// by its description.
    init(_ error: any Error) {
        switch error {
        case let known as QueueError: self = known
        case let failure as StoreFailure: self = .refused(failure.reason)
        default: self = .refused(String(describing: error))
        }
    }

    /// The reason of the rq1 `["fail", reason]` reply (spec protocols.md).
    public var reason: String {
        switch self {
        case .noSuchQueue: return "no such queue"
        case .down: return "status: DOWN"
        case .lacking(let field): return "lacking '\(field)' field"
        case .msgNotFound: return "msg not found"
        case .alreadyRunning: return "msg already running"
        case .notRunnable: return "msg not in runnable state"
        case .notDurable: return "could not sync message to disk"
        case .refused(let reason): return reason
        }
    }

    /// Mapping 1: the rq1 reply.
    public var rq1Reply: String { replyValue.compactString }

    /// Mapping 2: the HTTP status. Failures that stop a route have their own; the others are
    /// answers (200), which routes give as the queue's `["fail", …]` (spec rest.md).
    public var httpStatus: Int {
        switch self {
        case .noSuchQueue: return 404
        case .down: return 503
        case .notDurable: return 500
        case .lacking, .msgNotFound, .alreadyRunning, .notRunnable, .refused: return 200
        }
    }

    /// The text of a non-200 HTTP answer (HTML callers get it plain, JSON callers as
    /// `{"error": …}`); the original's texts.
    public var httpText: String {
        switch self {
        case .noSuchQueue: return "404 - Queue not found"
        case .down: return "503 - Service Unavailable - Operationally Down"
        case .notDurable: return "500 - could not sync to disk"
        case .lacking, .msgNotFound, .alreadyRunning, .notRunnable, .refused: return reason
        }
    }

    /// Mapping 3: what a page or flash shows, the reply as the original's pages printed it
    /// (Ruby `inspect`): `["fail", "msg not found"]`.
    public var pageText: String { RubyInspect.of(replyValue) }

    /// `["fail", reason]`.
    var replyValue: JSONValue { .array(["fail", .string(reason)]) }
}
