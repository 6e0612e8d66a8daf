import Foundation
import RQStore

/// Attachments (uds-protocol §4.4.2 attach_message, delete_attach_message).
extension QueueOperations {
    /// In one call; `knownMD5` when the server already hashed the file (an HTTP upload).
    /// Returns the md5.
    public func attach(_ queue: String, _ id: String, pathname: String, name: String?, knownMD5: String? = nil) -> Result<String, QueueError> {
        with(queue) { try $0.attach(msgID: id, pathname: pathname, name: name, knownMD5: knownMD5) }
    }

    /// Like `attach`, hashing the file in loop turns; `done` gets the md5.
    public func attachInSlices(_ queue: String, _ id: String, pathname: String, name: String?,
                               done: @escaping (Result<String, QueueError>) -> Void) {
        let store: QueueStore, pending: PendingAttachment
        switch with(queue, { store in (store, try store.beginAttach(msgID: id, pathname: pathname, name: name)) }) {
        case .success(let begun): (store, pending) = begun
        case .failure(let error): return done(.failure(error))
        }
        hashSlices(of: pending.digest) { hashed in
            if case .failure(let error) = hashed {
                store.abandonAttach(pending)
                return done(.failure(.refused("could not attach: \(error.reason)")))
            }
            done(Result { try store.finishAttach(pending) }.mapError(QueueError.init))
        }
    }

    public func deleteAttachment(_ queue: String, _ id: String, name: String) -> Result<Void, QueueError> {
        with(queue) { try $0.deleteAttachment(msgID: id, name: name) }
    }
}
