import Foundation
import Logging
import RQLoop
import RQStore

/// Drives the journal's checkpoints off the acknowledgement path: when the journal wants one
/// (enough record bytes, or a record older than the interval), its `syncfs` and segment
/// housekeeping run on the helper thread while the loop goes on; the result comes back on
/// the loop. A failed checkpoint drops nothing and is retried.
final class JournalCheckpoints {
    static let pollInterval = 0.25

    private let journal: JournalDurability
    private let logger: Logger
    private let helper: HelperThread
    private var timer: LoopTimer?
    /// A full disk fails every retry: one line per interval, not one per loop turn.
    private var repeatedFailures = RepeatedErrorLimiter()

    init(loop: EventLoop, journal: JournalDurability, logger: Logger) throws {
        self.journal = journal
        self.logger = logger
        helper = try HelperThread(loop: loop, name: "rq-checkpoint")
        timer = LoopTimer(loop: loop) { [unowned self] in self.startIfWanted() }
        loop.addIterationEndHook { [unowned self] in self.startIfWanted() }
    }

    func startIfWanted() {
        if !helper.isBusy, journal.wantsCheckpoint {
            let checkpoint = journal.beginCheckpoint()
            helper.run({ checkpoint.run() }) { [weak self] failure in
                guard let self else { return }
                self.journal.finishCheckpoint(checkpoint, failure: failure)
                if let failure, let line = self.repeatedFailures.line("journal checkpoint failed, segments kept: \(failure)",
                                                                       kind: "checkpoint", now: Date().timeIntervalSince1970) {
                    self.logger.error("\(line)")
                }
            }
        }
        // Records younger than the interval are checkpointed by time even if nothing else happens.
        if journal.hasUncheckpointedRecords, timer?.isScheduled == false { timer?.schedule(after: Self.pollInterval) }
    }

    /// Clean stop: a last checkpoint on the loop, so the next start has nothing to replay.
    func finish() {
        timer?.close()
        helper.waitForJob()
        do { try journal.checkpointNow() } catch { logger.error("journal checkpoint at stop failed: \(error)") }
    }
}
