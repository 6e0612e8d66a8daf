/// One message waiting in a queue's in-memory que, as the scheduler sees it.
/// `params` maps a param number (1…4) to its value; absent and JSON null are both missing.
public struct SchedulerEntry<Param: Equatable>: Equatable {
    public let id: String
    /// Epoch seconds.
    public let due: Double
    public let params: [Int: Param]

    public init(id: String, due: Double, params: [Int: Param]) {
        self.id = id
        self.due = due
        self.params = params
    }

    func tuple(_ numbers: [Int]) -> [Param?] { numbers.map { params[$0] } }
}

/// Which queued messages start now (worker-protocol.md §6.6 and §6.7), as a pure function
/// so it is tested without a loop. Runs the recommended "repeat until nothing more can
/// start" form of the original's one-job-per-pass scheduler.
public enum SchedulerPolicy {
    public struct Start: Equatable, Sendable {
        public let id: String
        /// Queued messages folded into this one (`coalesce_params`), in que order; the
        /// caller takes them out of the in-memory que and records them as its `dups`.
        public let coalescedIds: [String]
    }

    public struct Decision: Equatable, Sendable {
        /// In start order.
        public let starts: [Start]
        /// Due time of the message that would start next but is not due yet: arm a wake-up.
        /// nil when nothing waits on time (que empty, all workers busy, or all blocked —
        /// a job completion reruns the scheduler then).
        public let nextDue: Double?
    }

    /// - Parameters:
    ///   - queued: the in-memory que in scheduling order (earliest due first, ties in enqueue
    ///     order), as the store keeps it. It is walked lazily and only as far as needed, so a
    ///     pass costs O(workers) on a long que unless `coalesceParams` needs a full scan.
    ///   - running: params of every run-list entry with a live process.
    ///   - numWorkers: the queue's concurrency limit.
    ///   - blockingParams / coalesceParams: param numbers from the queue config.
    public static func decide<Param: Equatable, Queued: Sequence>(
        queued: Queued, running: [[Int: Param]], numWorkers: Int,
        blockingParams: [Int], coalesceParams: [Int], now: Double
    ) -> Decision where Queued.Element == SchedulerEntry<Param> {
        var free = numWorkers - running.count
        guard free > 0 else { return Decision(starts: [], nextDue: nil) }
        var busyTuples = running.map { params in blockingParams.map { params[$0] } }
        var claimed: Set<String> = []
        var starts: [Start] = []
        for candidate in queued where !claimed.contains(candidate.id) {
            if !blockingParams.isEmpty, busyTuples.contains(candidate.tuple(blockingParams)) { continue }
            guard candidate.due <= now else { return Decision(starts: starts, nextDue: candidate.due) }
            var coalesced: [String] = []
            if !coalesceParams.isEmpty {
                let key = candidate.tuple(coalesceParams)
                for other in queued where other.id != candidate.id && !claimed.contains(other.id)
                    && other.tuple(coalesceParams) == key {
                    coalesced.append(other.id)
                    claimed.insert(other.id)
                }
            }
            claimed.insert(candidate.id)
            starts.append(Start(id: candidate.id, coalescedIds: coalesced))
            busyTuples.append(candidate.tuple(blockingParams))
            free -= 1
            if free == 0 { break }
        }
        return Decision(starts: starts, nextDue: nil)
    }
}
