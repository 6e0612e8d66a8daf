import Foundation
import RQStore

/// attach_message and delete_attach_message (uds-protocol §4.4.2).
extension QueueCommands {
    /// How long one loop turn may spend hashing before other clients get theirs.
    static let hashingTurn = 0.005

    /// The fields of an attach_message argument, or the failure reply.
    func attachRequest(_ object: JSONObject?) throws -> (id: String, pathname: String, name: String?) {
        guard let id = CommandArgument.msgID(object) else { throw StoreFailure("lacking 'msg_id' field") }
        guard case .string(let pathname)? = object?["pathname"] else { throw StoreFailure("lacking 'pathname' field") }
        switch object?["name"] {
        case .string(let given)? where !given.isEmpty: return (id, pathname, given)
        default: return (id, pathname, nil)
        }
    }

    static func attached(_ md5: String) -> String { Reply.ok(.string(md5 + "-Attached successfully")) }

    /// In one call; `knownMD5` when the server already hashed the file (an HTTP upload).
    func attach(_ store: QueueStore, _ object: JSONObject?, knownMD5: String? = nil) -> String {
        do {
            let request = try attachRequest(object)
            return Self.attached(try store.attach(msgID: request.id, pathname: request.pathname,
                                                  name: request.name, knownMD5: knownMD5))
        } catch {
            return Reply.fail(error)
        }
    }

    /// attach_message for an upload the HTTP layer hashed while receiving it.
    public func attachUpload(queue: String, msgID: String, path: String, name: String, md5: String) -> String {
        guard let store = registry.queue(queue) else { return Reply.fail("no such queue") }
        if store.adminStatus == .down { return Reply.fail("status: DOWN") }
        return attach(store, ["msg_id": .string(msgID), "pathname": .string(path), "name": .string(name)], knownMD5: md5)
    }

    func attachInSlices(_ store: QueueStore, _ object: JSONObject?, reply: @escaping (String) -> Void) {
        let pending: PendingAttachment
        do {
            let request = try attachRequest(object)
            pending = try store.beginAttach(msgID: request.id, pathname: request.pathname, name: request.name)
        } catch {
            return reply(Reply.fail(error))
        }
        hashSlices(of: pending.digest) { hashed in
            if case .failure(let error) = hashed {
                store.abandonAttach(pending)
                return reply(Reply.fail("could not attach: \(error.reason)"))
            }
            do { reply(Self.attached(try store.finishAttach(pending))) } catch { reply(Reply.fail(error)) }
        }
    }

    /// Hashes, in loop turns, the attachments of `msgID` whose md5 is not known yet, then
    /// calls `then`, so the `get_message` that follows answers from the cache instead of
    /// hashing gigabytes in one go.
    public func warmDigests(queue: String, msgID: String, then: @escaping () -> Void) {
        guard let store = registry.queue(queue), MessageID.isValid(msgID, allowAcked: true) else { return then() }
        let pending = store.attachmentsWithoutDigest(msgID)
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
    private func hashSlices(of digest: FileDigest, done: @escaping (Result<String, FileError>) -> Void) {
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

    func deleteAttachment(_ store: QueueStore, _ object: JSONObject?) -> String {
        withMsgID(object) { id in
            guard case .string(let name)? = object?["attachment_name"] else {
                throw StoreFailure("lacking 'attachment_name' field")
            }
            try store.deleteAttachment(msgID: id, name: name)
            return Reply.ok("Attachment deleted successfully")
        }
    }
}
