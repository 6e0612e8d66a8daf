import Foundation
import RQStore

/// "Wait until this file is on disk" for in-loop runners: the file (and its directory) join
/// the current group commit, and `then` runs once that commit is durable.
final class DurableFileWait {
    private let batch: DurableBatch
    private let commit: GroupCommit

    init(batch: DurableBatch, commit: GroupCommit) {
        self.batch = batch
        self.commit = commit
    }

    func afterDurable(_ path: String, _ then: @escaping (Bool) -> Void) {
        batch.add(file: path)
        batch.add(directory: (path as NSString).deletingLastPathComponent)
        commit.afterDurable(then)
    }
}
