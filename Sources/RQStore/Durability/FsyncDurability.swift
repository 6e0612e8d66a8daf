import Foundation

/// The first `Durability`: every mutation registers the files it wrote and the directories
/// whose entries it changed with a `DurableBatch`, which fsyncs them (or syncs the file system)
/// at flush. Nothing to replay: a crash leaves only what recovery's directory repairs handle.
public final class FsyncDurability: Durability {
    let root: String
    public let batch: DurableBatch

    public init(root: String, batch: DurableBatch = DurableBatch()) {
        self.root = root
        self.batch = batch
    }

    public func recover() -> DurabilityRecovery { DurabilityRecovery() }

    public var isEmpty: Bool { batch.isEmpty }

    public func beginFlush() -> DurableSync {
        let syncs = batch.handOff()
        return DurableSync(steps: syncs.isEmpty ? [] : [{ syncs.run() }])
    }

    public func finishFlush(_ sync: DurableSync) {}

    public func include(file path: String) { batch.add(file: path) }

    public func include(directory path: String) { batch.add(directory: path) }

    public func record(_ mutation: StoreMutation) {
        let queue = mutation.queue
        let id = mutation.id
        let message = { (state: MessageState) in MessagePaths.messageDirectory(queue, id, state).map { self.root + "/" + $0 } }
        switch mutation.change {
        case .created:
            guard let dir = message(.prep) else { return }
            batch.add(file: dir + "/msg")
            batch.add(directory: dir)
            batch.add(directory: root + "/" + MessagePaths.stateDirectory(queue, .prep))
        case .committed:
            addMove(queue, id, from: .prep, to: .que)
        case .queued:
            guard let dir = message(.que) else { return }
            batch.add(file: dir + "/msg")
            batch.add(directory: dir)
            batch.add(directory: root + "/" + MessagePaths.stateDirectory(queue, .que))
            // Its temporary name's removal from prep/ need not survive: recovery removes
            // half-allocated directories there.
        case .moved(let from, let to):
            addMove(queue, id, from: from, to: to)
        case .rewritten(let state, _):
            guard let dir = message(state) else { return }
            batch.add(file: dir + "/msg")
            batch.add(directory: dir)
        case .status(let state, _):
            guard let dir = message(state) else { return }
            batch.add(file: dir + "/status")
            batch.add(directory: dir)
        case .attached(let state, let name):
            guard let dir = message(state) else { return }
            let file = dir + "/attach/" + name
            batch.add(file: file)
            if FileOps.exists(DigestSidecar.path(for: file)) { batch.add(file: DigestSidecar.path(for: file)) }
            batch.add(directory: dir + "/attach")
            batch.add(directory: dir)
            // Under the journal the message directory's own entry may exist only as a record;
            // an attachment in a directory that replay would recreate empty is lost.
            batch.add(directory: root + "/" + MessagePaths.stateDirectory(queue, state))
        case .attachmentRemoved:
            guard let dir = message(.prep) else { return }
            batch.add(directory: dir + "/attach")
        case .acknowledged:
            batch.add(directory: root + "/" + MessagePaths.stateDirectory(queue, .err))
        case .deleted:
            // Deletion was never promised durable; a message that comes back after a crash
            // can be deleted again.
            break
        }
    }

    /// The directory the message left and every directory between the state directory and
    /// its new place (hash-dir parents may have been created); clean ones sync at once.
    func addMove(_ queue: String, _ id: String, from: MessageState, to: MessageState) {
        guard let source = MessagePaths.messageDirectory(queue, id, from),
              let target = MessagePaths.messageDirectory(queue, id, to) else { return }
        batch.add(directory: root + "/" + (source as NSString).deletingLastPathComponent)
        let stateDirectory = MessagePaths.stateDirectory(queue, to)
        var parent = (target as NSString).deletingLastPathComponent
        while parent.count >= stateDirectory.count {
            batch.add(directory: root + "/" + parent)
            parent = (parent as NSString).deletingLastPathComponent
        }
    }
}
