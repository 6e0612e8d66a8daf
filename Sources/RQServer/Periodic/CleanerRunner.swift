import Foundation
import RQLoop
import RQStore

/// The `cleaner` queue's runner (spec relay.md "Cleaner"): no script; each message runs a
/// `CleanerRun` on the loop and ends `done` with what it removed, or `err` for a bad request.
final class CleanerRunner: Runner {
    private let loop: EventLoop
    private let registry: QueueRegistry

    init(loop: EventLoop, registry: QueueRegistry) {
        self.loop = loop
        self.registry = registry
    }

    func unavailableReason(for store: QueueStore) -> String? { nil }

    func start(_ job: RunJob, reporting: RunReporting) throws(RunStartFailure) -> RunHandle {
        let message = job.message
        let param = { (n: Int) in message.param(n) == nil ? nil : message.paramText(n) }
        let handle = LoopRunHandle()
        switch CleanerRequest.parse(param1: param(1), param2: param(2)) {
        case .failure(let problem):
            loop.runSoon { Self.end(reporting, "err \(problem.reason)") }
        case .success(let request):
            do {
                let run = try CleanerRun(loop: loop, registry: registry, request: request, now: loop.now,
                                         log: { job.appendLog($0) }, finished: { Self.end(reporting, $0) })
                handle.onStop = { run.stop() }
                run.start()
            } catch {
                loop.runSoon { Self.end(reporting, "err \(error.reason)") }
            }
        }
        return handle
    }

    static func end(_ reporting: RunReporting, _ line: String) {
        reporting.statusLines([StatusLineParser.Line(text: line)])
        reporting.finish()
    }
}
