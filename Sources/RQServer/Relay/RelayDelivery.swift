import RQStore

/// Sends `RelayRequest`s and reports `RelayReply`s on the loop; the HTTP client implements it.
protocol RelayTransport: AnyObject {
    /// Calls `completion` exactly once, from a later loop callback; cancelling makes it silent.
    /// `timeout`: the longest wait for the answer (and for the peer to take upload bytes).
    func send(_ request: RelayRequest, timeout: Double, completion: @escaping (RelayReply) -> Void) -> RelayCancellation
}

/// Stops an in-flight request; its completion is never called afterwards.
protocol RelayCancellation: AnyObject {
    func cancel()
}

/// One attempt at relaying one message, driving `RelayConversation` on the loop: each reply
/// is applied (log lines for `job/stdio.log`, `relay_id` written and made durable before the
/// next request goes out, or removed), and the attempt ends with exactly one status line, the same a
/// relay script would have written: `relayed <remote full id>`, `resend <wait>-<reason>` or
/// `err <reason>`.
final class RelayDelivery {
    struct Environment {
        let transport: RelayTransport
        let backoff: RetryBackoff
        let timeout: Double
        /// A number in [0, 1) for the backoff's jitter.
        let jitter: () -> Double
        /// Appends one text line to the message's `job/stdio.log`.
        let log: (String) -> Void
        /// Makes files and directories written on the loop durable off the loop, then calls
        /// back on the loop with whether it worked (the server: `GroupCommit.afterSyncing`).
        let persist: (_ files: [String], _ directories: [String], _ done: @escaping (Bool) -> Void) -> Void
    }

    private var conversation: RelayConversation
    private let idFile: RelayIDFile
    private let environment: Environment
    private var finish: ((String) -> Void)?
    private var inFlight: RelayCancellation?

    init(conversation: RelayConversation, jobDirectory: String, environment: Environment,
         finish: @escaping (_ statusLine: String) -> Void) {
        self.conversation = conversation
        idFile = RelayIDFile(jobDirectory: jobDirectory)
        self.environment = environment
        self.finish = finish
    }

    /// The status line for a dest that cannot be relayed at all; nil when it can.
    static func refusal(of dest: String) -> String? {
        do {
            _ = try RemoteQueueURL.parse(dest)
            return nil
        } catch {
            return "err \(error.description)"
        }
    }

    var isFinished: Bool { finish == nil }

    func start() {
        conversation.openingLines.forEach(environment.log)
        sendCurrentStep()
    }

    /// destroy, timeout, shutdown: the request is dropped; what the remote has prepared stays
    /// remembered in `relay_id` for the next attempt.
    func cancel() {
        inFlight?.cancel()
        inFlight = nil
        finish = nil
    }

    private func sendCurrentStep() {
        guard !isFinished else { return }
        let (request, announce) = conversation.request()
        announce.forEach(environment.log)
        inFlight = environment.transport.send(request, timeout: environment.timeout) { [weak self] reply in
            guard let self, !self.isFinished else { return }
            self.inFlight = nil
            self.handle(reply)
        }
    }

    private func handle(_ reply: RelayReply) {
        let transition = conversation.handle(reply)
        var remembered = false
        for effect in transition.effects {
            switch effect {
            case .log(let line): environment.log(line)
            case .forgetRemoteID: idFile.remove()
            case .rememberRemoteID(let id):
                do {
                    try idFile.write(id)
                    remembered = true
                } catch {
                    // Going on without it only risks an unused prepared copy on the remote.
                    environment.log("cannot remember relay_id: \(error)")
                }
            }
        }
        guard remembered else { return proceed(to: transition.outcome) }
        let targets = idFile.syncTargets
        environment.persist(targets.files, targets.directories) { [weak self] durable in
            guard let self, !self.isFinished else { return }
            if !durable { self.environment.log("cannot remember relay_id: fsync failed") }
            self.proceed(to: transition.outcome)
        }
    }

    private func proceed(to outcome: RelayOutcome?) {
        if let outcome { return end(outcome) }
        sendCurrentStep()
    }

    private func end(_ outcome: RelayOutcome) {
        let line: String
        switch outcome {
        case .relayed(let id):
            line = "relayed \(id)"
        case .retry(let reason):
            let count = conversation.message.count
            let wait = environment.backoff.delay(count: count, unit: environment.jitter())
            environment.log("RESEND - \(wait) - \(count) - \(reason)")
            line = "resend \(wait)-\(reason)"
        case .failed(let reason):
            environment.log("ERR - \(reason)")
            line = "err \(reason)"
        }
        let report = finish
        finish = nil
        report?(line)
    }
}
