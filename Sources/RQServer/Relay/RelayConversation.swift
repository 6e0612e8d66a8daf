import Foundation
import RQStore

/// The relay's two-phase conversation with a remote RQ (spec relay.md, reference relay.md §7.3):
/// prep → each attachment (md5 checked against the reply) → commit. Pure: the driver sends
/// `request()`, feeds the reply to `handle(_:)`, applies the effects in order and stops at an
/// outcome. Replies are classified the same way at every step: no response or a 5xx is worth
/// a retry; a 4xx or a peer that does not speak RQ is not.
struct RelayConversation {
    enum Step: Equatable, Sendable {
        case prep
        case attach(RemoteMessage, index: Int)
        case commit(RemoteMessage)
    }

    struct Transition: Equatable, Sendable {
        var effects: [RelayEffect] = []
        /// nil: go on with `request()`.
        var outcome: RelayOutcome?
    }

    let remote: RemoteQueueURL
    /// The relay message as stored locally.
    let message: Message
    let attachments: [RelayAttachment]
    private(set) var step: Step
    /// A lost prep is redone at once, but only once per attempt, so a remote that keeps
    /// losing messages cannot spin the loop.
    private var preppedAgain = false

    /// `rememberedID`: the content of `relay_id`, if the file exists.
    init(remote: RemoteQueueURL, message: Message, attachments: [RelayAttachment], rememberedID: String?) {
        self.remote = remote
        self.message = message
        self.attachments = attachments
        step = .prep
        if let rememberedID, let prepared = RemoteMessage(fullID: rememberedID.trimmingCharacters(in: .whitespacesAndNewlines)) {
            step = Self.afterPrep(prepared, attachments: attachments)
        }
    }

    /// Lines logged before the first request.
    var openingLines: [String] {
        var lines = ["dest - \(message.dest)"]
        if message.isForceRemote { lines.append("FORCE REMOTE") }
        switch step {
        case .prep: break
        case .attach(let prepared, _), .commit(let prepared): lines.append("Using prior relay_id: \(prepared.fullID)")
        }
        return lines
    }

    private static func afterPrep(_ prepared: RemoteMessage, attachments: [RelayAttachment]) -> Step {
        attachments.isEmpty ? .commit(prepared) : .attach(prepared, index: 0)
    }

    // MARK: Requests

    /// The request of the current step and the lines to log before sending it.
    func request() -> (request: RelayRequest, announce: [String]) {
        switch step {
        case .prep:
            return (RelayRequest(url: remote.newMessageURL, body: .form([
                .init(name: "x_format", value: "json"), .init(name: "mesg", value: prepMesg.compactString),
            ])), ["attempting remote \(remote.queueURL)"])
        case .attach(let prepared, let index):
            let file = attachments[index]
            let request = RelayRequest(url: prepared.attachURL(on: remote), body: .multipart([
                .init(name: "x_format", value: "json"), .init(name: "pathname", value: file.name),
                .init(name: "msg_id", value: prepared.shortID),
            ], .init(fieldName: "filedata", filename: file.name, path: file.path)))
            let announce = (index == 0 ? ["attempting sending attach"] : []) + ["attempting sending attach \(file.name)"]
            return (request, announce)
        case .commit(let prepared):
            return (RelayRequest(url: prepared.url(on: remote), body: .form([
                .init(name: "x_format", value: "json"), .init(name: "_method", value: "commit"),
                .init(name: "msg_id", value: prepared.shortID),
            ])), ["attempting commit \(prepared.fullID)"])
        }
    }

    /// The copy the remote prepares: the original's key list, `count` + 1, never `force_remote`.
    var prepMesg: JSONValue {
        let stored = message.json
        var mesg = JSONObject()
        for key in ["dest", "src", "count", "max_count", "param1", "param2", "param3", "param4",
                    "post_run_webhook", "orig_msg_id"] {
            if let value = stored[key] { mesg[key] = value }
        }
        mesg["count"] = .int(message.count + 1)
        mesg["_method"] = "prep"
        return .object(mesg)
    }

    // MARK: Replies

    mutating func handle(_ reply: RelayReply) -> Transition {
        switch step {
        case .prep: return handlePrep(reply)
        case .attach(let prepared, let index): return handleAttach(reply, prepared, index)
        case .commit(let prepared): return handleCommit(reply, prepared)
        }
    }

    private mutating func handlePrep(_ reply: RelayReply) -> Transition {
        switch reply {
        case .unreachable(let error):
            return Transition(effects: [.log("Net::HTTP exception: \(error)")],
                              outcome: .retry("Could not connect to or parse URL: \(remote.newMessageURL)"))
        case .unusable(let error):
            return Transition(effects: [.log("Unusable answer: \(error)")], outcome: .failed("Couldn't queue message: \(error)"))
        case .response(let status, let body):
            if let verdict = Self.refusal(status: status, body: body, doing: "Couldn't queue message") { return verdict }
            switch RemoteReply(body: body) {
            case .ok(let id):
                guard let prepared = RemoteMessage(fullID: id) else {
                    return Transition(outcome: .retry("Couldn't queue message: \(BodySnippet.of(body))"))
                }
                step = Self.afterPrep(prepared, attachments: attachments)
                return Transition(effects: [.rememberRemoteID(prepared.fullID), .log("Now using relay_id: \(prepared.fullID)")])
            case .fail, .unexpected:
                return Transition(outcome: .retry("Couldn't queue message: \(BodySnippet.of(body))"))
            case .notJSON:
                return Self.notRQ(body)
            }
        }
    }

    private mutating func handleAttach(_ reply: RelayReply, _ prepared: RemoteMessage, _ index: Int) -> Transition {
        switch reply {
        case .unreachable(let error):
            return Transition(effects: [.log("HTTP exception: \(error)")],
                              outcome: .retry("Couldn't attach to message: \(error)"))
        case .unusable(let error):
            return Transition(effects: [.log("Unusable answer: \(error)")], outcome: .failed("Couldn't attach to message: \(error)"))
        case .response(let status, let body):
            let answer = RemoteReply(body: body)
            if answer.isLostMessage { return lost(prepared, body) }
            if let verdict = Self.refusal(status: status, body: body, doing: "Couldn't attach to message") { return verdict }
            let file = attachments[index]
            switch answer {
            case .ok("\(file.md5)-Attached successfully"):
                step = index + 1 < attachments.count ? .attach(prepared, index: index + 1) : .commit(prepared)
                return Transition(effects: [.log("attached \(file.name) md5 \(file.md5)")])
            case .ok:
                return Transition(effects: [.log("md5 mismatch for \(file.name): ours \(file.md5), remote said \(BodySnippet.of(body))")],
                                  outcome: .retry("Couldn't attach to test message properly - md5 mismatch : \(BodySnippet.of(body))"))
            case .fail, .unexpected:
                return Transition(outcome: .retry("Couldn't attach to test message properly : \(BodySnippet.of(body))"))
            case .notJSON:
                return Self.notRQ(body)
            }
        }
    }

    private mutating func handleCommit(_ reply: RelayReply, _ prepared: RemoteMessage) -> Transition {
        let url = prepared.url(on: remote)
        switch reply {
        case .unreachable(let error):
            return Transition(effects: [.log("Net::HTTP exception: \(error)")],
                              outcome: .retry("Could not connect to or parse URL: \(url)"))
        case .unusable(let error):
            return Transition(effects: [.log("Unusable answer: \(error)")], outcome: .failed("Couldn't commit message: \(error)"))
        case .response(let status, let body):
            let answer = RemoteReply(body: body)
            if answer.isLostMessage { return lost(prepared, body) }
            if let verdict = Self.refusal(status: status, body: body, doing: "Couldn't commit message") { return verdict }
            switch answer {
            case .ok:
                return Transition(effects: [.forgetRemoteID, .log("committed \(prepared.fullID)")],
                                  outcome: .relayed(remoteFullID: prepared.fullID))
            case .fail, .unexpected:
                return Transition(outcome: .retry("Couldn't commit message: \(BodySnippet.of(body))"))
            case .notJSON:
                return Self.notRQ(body)
            }
        }
    }

    /// The remote no longer has our prepared message: forget its id and prepare again.
    private mutating func lost(_ prepared: RemoteMessage, _ body: String) -> Transition {
        let text = "Remote message [\(prepared.fullID)] disappeared: \(BodySnippet.of(body)). Getting new id."
        guard !preppedAgain else { return Transition(effects: [.forgetRemoteID], outcome: .retry(text)) }
        preppedAgain = true
        step = .prep
        return Transition(effects: [.forgetRemoteID, .log(text)])
    }

    /// A non-200 answer: 5xx and the "try later" 4xx (408, 429) are retried; other 4xx mean
    /// the request itself is refused (no such queue, too large) and stop here.
    private static func refusal(status: Int, body: String, doing: String) -> Transition? {
        guard status != 200 else { return nil }
        let text = "\(doing): HTTP \(status) \(BodySnippet.of(body))".trimmingCharacters(in: .whitespaces)
        let log = RelayEffect.log("remote answered HTTP \(status): \(BodySnippet.of(body))")
        if (400...499).contains(status), status != 408, status != 429 {
            return Transition(effects: [log], outcome: .failed(text))
        }
        return Transition(effects: [log], outcome: .retry(text))
    }

    private static func notRQ(_ body: String) -> Transition {
        Transition(effects: [.log("Could not parse JSON"), .log(BodySnippet.of(body))],
                   outcome: .failed("BAD JSON - the remote is not an RQ server: \(BodySnippet.of(body))"))
    }
}
