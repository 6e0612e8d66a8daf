import Foundation
import RQStore

/// Attachment md5s computed a slice per loop turn, so a gigabyte file does not stall every
/// other client.
extension QueueOperations {
    /// How long one loop turn may spend hashing before other clients get theirs.
    static let hashingTurn = 0.005

    /// Hashes, in loop turns, the attachments of `id` whose md5 is not known yet, then calls
    /// `then`, so the `message` that follows answers from the cache instead of hashing
    /// gigabytes in one go.
    public func warmDigests(_ queue: String, _ id: String, then: @escaping () -> Void) {
        guard let store = registry.queue(queue), MessageID.isValid(id, allowAcked: true) else { return then() }
        let pending = store.attachmentsWithoutDigest(id)
        guard !pending.isEmpty else { return then() }
        hashFiles(pending[...], store, then: then)
    }

    private func hashFiles(_ files: ArraySlice<(path: String, status: stat)>, _ store: QueueStore, then: @escaping () -> Void) {
        guard let file = files.first else { return then() }
        guard let digest = try? FileDigest(path: file.path) else { return hashFiles(files.dropFirst(), store, then: then) }
        hashSlices(of: digest) { [self] hashed in
            if case .success(let md5) = hashed { store.recordDigest(md5, of: file.path, as: file.status) }
            hashFiles(files.dropFirst(), store, then: then)
        }
    }

    /// Feeds `digest` for one turn (`hashingTurn`) at a time, then reports its md5 or the
    /// read error. A digest known beforehand finishes at once.
    func hashSlices(of digest: FileDigest, done: @escaping (Result<String, FileError>) -> Void) {
        let turnEnds = now() + Self.hashingTurn
        do {
            while try !digest.hashSlice() {
                if now() >= turnEnds {
                    later { [self] in hashSlices(of: digest, done: done) }
                    return
                }
            }
        } catch {
            return done(.failure(error))
        }
        done(digest.md5.map { .success($0) } ?? .failure(FileError("read", digest.path, reason: "no digest")))
    }
}
