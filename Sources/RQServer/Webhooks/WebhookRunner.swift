import RQLoop
import RQStore

/// The `webhook` queue's runner: one POST per message on the loop's HTTP client, answered
/// with the status line the original's webhook script wrote (`done successfull post <code>`,
/// or a `resend` with `count² × 60` s backoff; the completion rules make it `err` past
/// `max_count`).
final class WebhookRunner: Runner {
    private let loop: EventLoop
    private let transport: RelayTransport

    init(loop: EventLoop, transport: RelayTransport) {
        self.loop = loop
        self.transport = transport
    }

    func unavailableReason(for store: QueueStore) -> String? { nil }

    func start(_ job: RunJob, reporting: RunReporting) throws(RunStartFailure) -> RunHandle {
        let request: RelayRequest
        do {
            request = try WebhookCall.request(for: job.message)
        } catch {
            return InLoopRun.failing(job, reporting: reporting, on: loop,
                                     logLine: error.description, reason: error.description)
        }
        let run = InLoopRun(job: job, reporting: reporting)
        let knobs = QueueKnobs(envVars: job.store.config.envVars, defaultBackoffBase: WebhookCall.defaultBackoffBase)
        run.log("Attempting post to url: \(request.url)")
        let call = transport.send(request, timeout: knobs.timeout) { [weak run] reply in
            let line = WebhookCall.statusLine(for: reply, url: request.url, count: job.message.count,
                                              backoff: knobs.backoff, jitter: Double.random(in: 0..<1))
            run?.log(line)
            run?.end(line)
        }
        run.onStop = { call.cancel() }
        return run
    }
}
