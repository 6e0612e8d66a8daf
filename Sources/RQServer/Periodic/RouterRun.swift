import Foundation
import RQStore

/// The rq_router's work on one message (spec reference/relay.md §7.5, with our JSON rules):
/// the first matching rule decides; `forward` copies the message to each destination through
/// the same `dup` a queue script would write (attachments travel, a URL goes via `relay`),
/// one at a time, waiting for each reply. The status texts are the original router's.
final class RouterRun {
    private let message: Message
    private let rules: Result<RouterRules, RouterRules.Problem>
    private let rulesPath: String
    private let routerLog: (String) -> Void
    private let emit: (String) -> Void
    private var pending: [String] = []
    private var copies: [String] = []
    private var single = true
    private(set) var isFinished = false

    /// `emit` gets every status line, as if a script wrote it on fd 3; `routerLog` the
    /// decision line for `log/rq_router.log` when the rule says `"log": true`.
    init(message: Message, rules: Result<RouterRules, RouterRules.Problem>, rulesPath: String,
         routerLog: @escaping (String) -> Void, emit: @escaping (String) -> Void) {
        self.message = message
        self.rules = rules
        self.rulesPath = rulesPath
        self.routerLog = routerLog
        self.emit = emit
    }

    func start() {
        let rules: RouterRules
        switch self.rules {
        case .success(let loaded): rules = loaded
        case .failure: return end("err Bad rule file at: \(rulesPath)")
        }
        let rule = rules.decide(message.json)
        if rule.log { routerLog(logLine(rule)) }
        switch rule.action {
        case .done: end("done router processed a done")
        case .err: end("err router processed an err")
        case .forward(let dests):
            pending = dests
            single = dests.count == 1
            next()
        }
    }

    /// The answer to the last `dup` line.
    func reply(_ reply: DupReply) {
        guard !isFinished else { return }
        switch reply {
        case .ok(let fullId):
            copies.append(fullId)
            if single { return end("done DUP to \(fullId)") }
            emit("run DUP relay to \(fullId)")
            next()
        case .fail(let reason):
            end(single ? "err DUP failed - \(reason)" : "err DUP relay failed - \(reason)")
        }
    }

    private func next() {
        guard !pending.isEmpty else { return end("done done relay of \(copies.count) messages") }
        emit("dup 0-X-\(pending.removeFirst())")
    }

    private func end(_ line: String) {
        isFinished = true
        emit(line)
    }

    /// `<pid> - <time> - <desc> - <action> - <msg_id> - <src>`, as the original's router log.
    private func logLine(_ rule: RouterRule) -> String {
        let action: String
        switch rule.action {
        case .forward(let dests): action = dests.count == 1 ? "balance" : "relay"
        case .done: action = "done"
        case .err: action = "err"
        }
        let src = message.src.map { $0.stringValue ?? $0.compactString } ?? ""
        let time = ISO8601DateFormatter().string(from: Date())
        return "\(getpid()) - \(time) - \(rule.description ?? "") - \(action) - \(message.msgID) - \(src)"
    }
}
