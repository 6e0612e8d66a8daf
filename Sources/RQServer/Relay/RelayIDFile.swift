import Foundation
import RQStore

/// `job/relay_id`: the remote full id of the prepared copy, kept between attempts so a retry
/// reuses the remote's prepared message instead of preparing another (and, after a crash
/// between the remote's commit and ours, commits that copy again instead of delivering a
/// second one). Written like the original (`relay_id.tmp`, then rename) on the loop; the
/// caller has the file and its directory synced (`syncTargets`, by the group commit's sync
/// thread) before it sends the next request.
struct RelayIDFile {
    let jobDirectory: String

    var path: String { jobDirectory + "/relay_id" }

    /// The remembered id, nil when there is none (or it is unreadable: then a new prep is made,
    /// which at worst leaves an unused prepared message on the remote).
    func read() -> String? {
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !text.isEmpty else { return nil }
        return text
    }

    /// What must be fsynced after `write` for the id to survive a crash.
    var syncTargets: (files: [String], directories: [String]) { ([path], [jobDirectory]) }

    /// Replaces the file's content (not yet durable: see `syncTargets`). No fsync before the
    /// rename: until the syncs are done nothing is sent that needs the id, and a crash before
    /// then leaves at worst no id or an empty file (read() gives nil: the next attempt prepares
    /// a new copy, the unused one stays in the remote's prep/).
    func write(_ id: String) throws(FileError) {
        try FileOps.writeAtomically(directory: jobDirectory, name: "relay_id", tmpName: "relay_id.tmp", Array(id.utf8))
    }

    func remove() {
        unlink(path)
    }
}
