import RQLoop
import RQStore

/// The `relay` queue's runner: each started message is one `RelayDelivery` on the loop (no
/// script, no pid). The scheduler gives it at most `num_workers` messages at a time, so that
/// many deliveries are in flight; pause/down/resume, counts and pages are the queue's as usual.
final class RelayRunner: Runner {
    static let queue = "relay"
    static let defaultBackoffBase = 10.0

    /// Hashes the attachments of a message whose md5 is not known yet, in loop turns.
    typealias DigestWarmer = (_ queue: String, _ msgID: String, _ then: @escaping () -> Void) -> Void

    private let loop: EventLoop
    private let transport: RelayTransport
    private let warmDigests: DigestWarmer
    private let commit: GroupCommit

    init(loop: EventLoop, transport: RelayTransport, commit: GroupCommit, warmDigests: @escaping DigestWarmer) {
        self.loop = loop
        self.transport = transport
        self.commit = commit
        self.warmDigests = warmDigests
    }

    func unavailableReason(for store: QueueStore) -> String? { nil }

    func start(_ job: RunJob, reporting: RunReporting) throws(RunStartFailure) -> RunHandle {
        let remote: RemoteQueueURL
        do {
            remote = try RemoteQueueURL.parse(job.message.dest)
        } catch {
            return InLoopRun.failing(job, reporting: reporting, on: loop,
                                     logLine: "dest - \(job.message.dest)", reason: error.description)
        }
        let run = InLoopRun(job: job, reporting: reporting)
        // The remote must echo each attachment's md5: hash unknown ones first, in loop turns.
        warmDigests(job.store.name, job.msgID) { [weak run, transport, commit] in
            guard let run, !run.isEnded else { return }
            let attachments: [RelayAttachment]
            switch Self.attachments(of: job) {
            case .success(let found): attachments = found
            case .failure(let problem): return run.end("err \(problem.text)")
            }
            let knobs = QueueKnobs(envVars: job.store.config.envVars, defaultBackoffBase: Self.defaultBackoffBase)
            let conversation = RelayConversation(remote: remote, message: job.message, attachments: attachments,
                                                 rememberedID: RelayIDFile(jobDirectory: job.jobDirectory).read())
            let environment = RelayDelivery.Environment(
                transport: transport, backoff: knobs.backoff, timeout: knobs.timeout,
                jitter: { Double.random(in: 0..<1) },
                log: { [weak run] in run?.log($0) },
                persist: { commit.afterSyncing(files: $0, directories: $1, $2) })
            let delivery = RelayDelivery(conversation: conversation, jobDirectory: job.jobDirectory, environment: environment) {
                [weak run] line in run?.end(line)
            }
            run.onStop = { delivery.cancel() }
            delivery.start()
        }
        return run
    }

    struct UnreadableAttachment: Error {
        let text: String
    }

    /// Every attachment with its md5; one that could not be hashed (unreadable) stops the
    /// relay rather than sending the message without it.
    static func attachments(of job: RunJob) -> Result<[RelayAttachment], UnreadableAttachment> {
        guard let directory = job.store.path(of: job.msgID, in: .run) else { return .success([]) }
        var found: [RelayAttachment] = []
        for entry in job.store.attachments(inMessageDirectory: directory) {
            guard let md5 = job.store.cachedDigest(of: entry.path) else {
                return .failure(UnreadableAttachment(text: "Cannot read attachment \(entry.name) to relay it"))
            }
            found.append(RelayAttachment(name: entry.name, path: entry.path, md5: md5))
        }
        return .success(found)
    }
}
