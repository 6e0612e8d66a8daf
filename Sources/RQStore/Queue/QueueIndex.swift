import Collections

/// A queued message as the scheduler sees it.
public struct QueEntry: Equatable, Sendable {
    public let id: String
    /// Epoch seconds; `run_message` may lower it in memory only.
    public var due: Double
    /// param1...param4, for blocking and coalescing decisions; empty in queues that use
    /// neither (the index does not keep them there).
    public let params: [JSONValue?]
}

/// A running message.
public struct RunEntry: Equatable, Sendable {
    public let id: String
    public let params: [JSONValue?]
    /// Last status text from the worker, nil before the first line.
    public var jobStatus: String?
}

/// The in-memory view of a queue's prep, que and run directories (layout §1.8).
///
/// The que part is built for a million messages in ~72 bytes each (issue 10): one record per
/// message in enqueue order, plus two sorted keys pointing into it by enqueue sequence, all
/// plain values in chunked sorted arrays (no per-message heap object). Params are kept only
/// when the queue's config uses them (`keepsParams`).
struct QueueIndex {
    /// Prep ids, oldest first.
    var prep = OrderedSet<String>()
    var run = OrderedDictionary<String, RunEntry>()
    /// Whether queued entries keep param1...param4 (blocking or coalescing queues).
    let keepsParams: Bool

    /// A queued message, ordered by enqueue sequence.
    struct Record: Comparable {
        let id: PackedMessageID
        var due: Double
        let sequence: UInt64
        static func < (a: Record, b: Record) -> Bool { a.sequence < b.sequence }
        static func == (a: Record, b: Record) -> Bool { a.sequence == b.sequence }
    }

    /// Scheduling order: earliest due first, ties in enqueue order.
    struct ScheduleKey: Comparable {
        let due: Double
        let sequence: UInt64
        static func < (a: ScheduleKey, b: ScheduleKey) -> Bool {
            a.due < b.due || (a.due == b.due && a.sequence < b.sequence)
        }
    }

    /// Lookup by id.
    struct IDKey: Comparable {
        let id: PackedMessageID
        let sequence: UInt64
        static func < (a: IDKey, b: IDKey) -> Bool { a.id < b.id }
        static func == (a: IDKey, b: IDKey) -> Bool { a.id == b.id }
    }

    private var records = ChunkedSortedArray<Record>()
    private var schedule = ChunkedSortedArray<ScheduleKey>()
    private var byID = ChunkedSortedArray<IDKey>()
    private var params: [UInt64: [JSONValue?]] = [:]
    private var ids = PackedMessageIDTable()
    /// Messages queued while the server runs get sequences from here; a start-up scan numbers
    /// the messages it finds below it, so they count as queued earlier.
    private var nextSequence: UInt64 = Self.liveSequenceBase
    static let liveSequenceBase: UInt64 = 1 << 48

    init(keepsParams: Bool = false) {
        self.keepsParams = keepsParams
    }

    var queCount: Int { records.count }

    func contains(_ id: String) -> Bool { record(for: id) != nil }

    func queEntry(_ id: String) -> QueEntry? { record(for: id).map(entry) }

    /// Queued entries, earliest due first, ties in enqueue order.
    var scheduled: LazyMapSequence<FlattenSequence<[[ScheduleKey]]>, QueEntry> {
        schedule.elements.lazy.map { key in entry(record(sequence: key.sequence)!) }
    }

    var earliestDue: Double? { schedule.first?.due }

    /// The entry queued first and the one queued last.
    var oldestArrival: QueEntry? { records.first.map(entry) }
    var newestArrival: QueEntry? { records.last.map(entry) }

    /// Queued entries, most recently queued first.
    func newestArrivals(limit: Int) -> [QueEntry] {
        records.reversedElements.prefix(limit).map(entry)
    }

    /// Queues `id` as the most recently queued message (re-queues it if present).
    mutating func enqueue(id: String, due: Double, params entryParams: [JSONValue?]) {
        nextSequence += 1
        insert(id: id, due: due, params: entryParams, sequence: nextSequence)
    }

    /// Queues `id` with a sequence number a start-up scan gave it (below every live one).
    mutating func enqueueScanned(id: String, due: Double, params entryParams: [JSONValue?], sequence: UInt64) {
        precondition(sequence < Self.liveSequenceBase)
        insert(id: id, due: due, params: entryParams, sequence: sequence)
    }

    private mutating func insert(id: String, due: Double, params entryParams: [JSONValue?], sequence: UInt64) {
        if contains(id) { removeFromQue(id) }
        let packed = ids.pack(id)
        records.insert(Record(id: packed, due: due, sequence: sequence))
        schedule.insert(ScheduleKey(due: due, sequence: sequence))
        byID.insert(IDKey(id: packed, sequence: sequence))
        if keepsParams { params[sequence] = entryParams }
    }

    @discardableResult
    mutating func removeFromQue(_ id: String) -> QueEntry? {
        guard let record = record(for: id) else { return nil }
        let removed = entry(record)
        records.remove(record)
        schedule.remove(ScheduleKey(due: record.due, sequence: record.sequence))
        byID.remove(IDKey(id: record.id, sequence: record.sequence))
        params.removeValue(forKey: record.sequence)
        return removed
    }

    /// Changes a queued entry's due time, keeping its enqueue position.
    mutating func setDue(_ id: String, to due: Double) {
        guard let record = record(for: id) else { return }
        schedule.remove(ScheduleKey(due: record.due, sequence: record.sequence))
        schedule.insert(ScheduleKey(due: due, sequence: record.sequence))
        records.remove(record)
        records.insert(Record(id: record.id, due: due, sequence: record.sequence))
    }

    private func record(for id: String) -> Record? {
        guard let packed = ids.lookUp(id), let key = byID.find(IDKey(id: packed, sequence: 0)) else { return nil }
        return record(sequence: key.sequence)
    }

    /// Records compare by sequence alone: the probe's other fields are placeholders.
    private func record(sequence: UInt64) -> Record? {
        records.find(Record(id: PackedMessageID(high: 0, low: 0), due: 0, sequence: sequence))
    }

    private func entry(_ record: Record) -> QueEntry {
        QueEntry(id: ids.unpack(record.id), due: record.due, params: params[record.sequence] ?? [])
    }
}
