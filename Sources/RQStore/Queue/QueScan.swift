import Glibc

/// Builds the que part of a queue's index from `que/` a slice at a time, so a server with a
/// million queued messages answers requests at once while the scan goes on between them
/// (issue 10). First the directory is listed (ids packed, 16 bytes each), then sorted, so
/// messages found on disk keep id order among equal due times, then each `msg` is read for
/// its due time (and params where the queue keeps them).
///
/// Work that happens meanwhile stays right: messages queued live get sequences above every
/// scanned one; ids already in the index (queued live, or looked up by an operation) are
/// skipped; an id whose directory has gone (deleted, moved) is skipped quietly.
struct QueScan {
    enum Phase {
        case listing
        case sorting
        case reading(next: Int)
        case finished
    }

    private(set) var phase: Phase
    /// `que/`, open until the scan is finished (the listing, then lookups relative to it).
    private let directory: DirectoryReader?
    private var found: [PackedMessageID] = []
    private var ids = PackedMessageIDTable()
    init(queDirectory: String) {
        directory = DirectoryReader(path: queDirectory)
        phase = directory == nil ? .finished : .listing
    }

    /// `que/` as an open directory while the scan reads it (`AT_FDCWD` once finished: then
    /// the ids it hands out are never used relative to it).
    var queDescriptor: Int32 { directory?.descriptor ?? AT_FDCWD }

    var isFinished: Bool {
        if case .finished = phase { return true }
        return false
    }

    /// Queued messages found on disk and not yet read (an estimate while listing).
    var unread: Int {
        switch phase {
        case .listing, .sorting: return found.count
        case .reading(let next): return found.count - next
        case .finished: return 0
        }
    }

    /// Lists and sorts until `shouldStop` says the slice is spent or the listing is sorted;
    /// then hands out the next 64 ids to read, with the sequence each gets. Empty when there
    /// is nothing to read now (`isFinished` tells whether ever again).
    mutating func nextBatch(shouldStop: () -> Bool) -> [(id: String, sequence: UInt64)] {
        while true {
            switch phase {
            case .listing:
                let names = directory?.next(limit: 256) ?? []
                if names.isEmpty {
                    phase = .sorting
                } else {
                    for name in names where MessageID.isValid(name) { found.append(ids.pack(name)) }
                }
                if shouldStop() { return [] }
            case .sorting:
                found.sort()
                phase = .reading(next: 0)
                if shouldStop() { return [] }
            case .reading(let next):
                let end = min(found.count, next + 64)
                let batch = (next..<end).map { (id: ids.unpack(found[$0]), sequence: UInt64($0 + 1)) }
                if end == found.count {
                    found = []
                    phase = .finished
                } else {
                    phase = .reading(next: end)
                }
                return batch
            case .finished:
                return []
            }
        }
    }
}
