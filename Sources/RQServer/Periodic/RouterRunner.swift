import Foundation
import RQLoop
import RQStore

/// The `rq_router` queue's runner: each message is routed by `config/rq_router_rules.json`
/// (`RouterRun`); an edited rules file applies to the next message.
final class RouterRunner: Runner {
    static let rulesFile = "config/rq_router_rules.json"
    static let logFile = "log/rq_router.log"

    private let loop: EventLoop
    private let root: String
    private let rules: RouterRulesFile

    init(loop: EventLoop, root: String) {
        self.loop = loop
        self.root = root
        rules = RouterRulesFile(path: root + "/" + Self.rulesFile)
    }

    func unavailableReason(for store: QueueStore) -> String? { nil }

    func start(_ job: RunJob, reporting: RunReporting) throws(RunStartFailure) -> RunHandle {
        let handle = LoopRunHandle()
        let current = rules.current()
        if case .failure(let problem) = current { job.appendLog(problem.reason) }
        let run = RouterRun(message: job.message, rules: current, rulesPath: rules.path,
                            routerLog: { [root] line in Self.appendRouterLog(root: root, line) }) { line in
            reporting.statusLines([StatusLineParser.Line(text: line)])
        }
        var ended = false
        let endIfFinished = {
            guard run.isFinished, !ended else { return }
            ended = true
            reporting.finish()
        }
        // The reply may come while the supervisor is still handling our `dup` line: answer it
        // from a later turn rather than re-entering it.
        handle.onReply = { [loop] reply in
            loop.runSoon {
                run.reply(reply)
                endIfFinished()
            }
        }
        loop.runSoon {
            run.start()
            endIfFinished()
        }
        return handle
    }

    static func appendRouterLog(root: String, _ line: String) {
        let fd = open(root + "/" + logFile, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
