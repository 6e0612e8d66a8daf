import Foundation

/// Brings the queue directories up to date with journal records, idempotently: the records
/// are folded into each message's last known state, msg and status, and the directories are
/// changed only where they differ. Replaying twice, or replaying records whose changes all
/// reached the disk, changes nothing.
struct JournalReplay {
    /// What the records say about one message.
    struct Fate {
        var state: MessageState?
        var msg: [UInt8]?
        var status: String??
        var acknowledged = false
        var deleted = false
    }

    let root: String
    private(set) var order: [StoreMutation.Key] = []
    private(set) var fates: [StoreMutation.Key: Fate] = [:]
    private(set) var repaired: [String] = []
    private(set) var problems: [String] = []

    init(root: String) { self.root = root }

    mutating func fold(_ mutation: StoreMutation) {
        let key = mutation.key
        if fates[key] == nil { order.append(key) }
        var fate = fates[key] ?? Fate()
        switch mutation.change {
        case .created(let msg):
            fate = Fate(state: .prep, msg: msg)
        case .committed:
            fate.state = .que
        case .queued(let msg):
            fate = Fate(state: .que, msg: msg)
        case .moved(_, let to):
            fate.state = to
        case .rewritten(let state, let msg):
            if fate.state == nil { fate.state = state }
            fate.msg = msg
        case .status(let state, let text):
            if fate.state == nil { fate.state = state }
            fate.status = .some(text)
        case .acknowledged:
            fate.state = .err
            fate.acknowledged = true
        case .deleted:
            fate = Fate(deleted: true)
        case .attached, .attachmentRemoved:
            return
        }
        fates[key] = fate
    }

    /// Applies every folded fate to the directories.
    mutating func apply() {
        for key in order {
            guard let fate = fates[key], FileOps.isDirectory(root + "/" + MessagePaths.queueDirectory(key.queue)) else { continue }
            apply(fate, key.queue, key.id)
        }
    }

    mutating func apply(_ fate: Fate, _ queue: String, _ id: String) {
        let name = queue + "/" + id
        let found = Self.locations(queue, id).first { FileOps.isDirectory(root + "/" + $0) }
        if fate.deleted {
            guard let found else { return }
            do {
                try FileOps.removeTree(root + "/" + found)
                repaired.append("\(name): deleted again")
            } catch {
                problems.append("\(name): could not delete again: \(error.description)")
            }
            return
        }
        var current = found
        if let state = fate.state, let target = Self.place(queue, id, state, acknowledged: fate.acknowledged) {
            // Changes that reached the disk without their record (never acknowledged) are
            // kept; the journal only redoes what the disk lacks.
            if let found, let foundState = Self.state(of: found, queue), Self.rank(foundState) > Self.rank(state) { return }
            do {
                if let found, found != target, Self.state(of: found, queue).map(Self.rank) != Self.rank(state) || Self.rank(state) == 2 {
                    try FileOps.makeDirectories(root + "/" + (target as NSString).deletingLastPathComponent)
                    try FileOps.rename(root + "/" + found, root + "/" + target)
                    repaired.append("\(name): moved \(found) -> \(target)")
                    current = target
                } else if found == nil, let msg = fate.msg {
                    try FileOps.makeDirectories(root + "/" + target)
                    try FileOps.writeFile(root + "/" + target + "/msg", msg)
                    repaired.append("\(name): recreated in \(target)")
                    current = target
                }
            } catch {
                problems.append("\(name): \(error.description)")
                return
            }
        }
        guard let current else {
            problems.append("\(name): acknowledged but not on disk, and no record since the last checkpoint holds its msg")
            return
        }
        let dir = root + "/" + current
        do {
            if let msg = fate.msg, (try? FileOps.readFile(dir + "/msg")) != msg {
                try FileOps.writeAtomically(directory: dir, name: "msg", tmpName: "tmp", msg)
                repaired.append("\(name): msg rewritten")
            }
            if let status = fate.status {
                let bytes = QueueStore.statusFileBytes(status)
                if (try? FileOps.readFile(dir + "/status")) != bytes {
                    try FileOps.writeAtomically(directory: dir, name: "status", tmpName: "status.tmp", bytes)
                    repaired.append("\(name): status rewritten")
                }
            }
        } catch {
            problems.append("\(name): \(error.description)")
        }
    }

    /// Where the message may be, relative to the root, in lookup order.
    static func locations(_ queue: String, _ id: String) -> [String] {
        var places = MessageState.allCases.compactMap { MessagePaths.messageDirectory(queue, id, $0) }
        places.append(MessagePaths.stateDirectory(queue, .err) + "/." + id)
        return places
    }

    /// prep, then que and run (a message moves between them both ways), then the end states.
    static func rank(_ state: MessageState) -> Int {
        switch state {
        case .prep: return 0
        case .que, .run: return 1
        case .done, .relayed, .err: return 2
        }
    }

    static func state(of place: String, _ queue: String) -> MessageState? {
        let rest = place.dropFirst(MessagePaths.queueDirectory(queue).count + 1)
        return MessageState(rawValue: String(rest.prefix { $0 != "/" }))
    }

    static func place(_ queue: String, _ id: String, _ state: MessageState, acknowledged: Bool) -> String? {
        if state == .err, acknowledged { return MessagePaths.stateDirectory(queue, .err) + "/." + id }
        return MessagePaths.messageDirectory(queue, id, state)
    }
}

extension StoreMutation {
    struct Key: Hashable {
        let queue: String
        let id: String
    }

    var key: Key { Key(queue: queue, id: id) }
}
