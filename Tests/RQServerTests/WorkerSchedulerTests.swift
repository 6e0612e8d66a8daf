import Testing
@testable import RQServer

@Suite struct WorkerSchedulerTests {
    typealias Entry = SchedulerEntry<String>

    private func decide(
        _ queued: [Entry], running: [[Int: String]] = [], workers: Int = 1,
        blocking: [Int] = [], coalesce: [Int] = [], now: Double = 100
    ) -> SchedulerPolicy.Decision {
        // The store hands the que over in scheduling order; these tests list it in any order.
        SchedulerPolicy.decide(queued: queued.sorted { ($0.due, $0.id) < ($1.due, $1.id) }, running: running, numWorkers: workers,
                               blockingParams: blocking, coalesceParams: coalesce, now: now)
    }

    private func ids(_ decision: SchedulerPolicy.Decision) -> [String] { decision.starts.map(\.id) }

    @Test func earliestDueFirstTiesById() {
        let queued = [Entry(id: "c", due: 50, params: [:]), Entry(id: "b", due: 10, params: [:]),
                      Entry(id: "a", due: 50, params: [:])]
        #expect(ids(decide(queued, workers: 3)) == ["b", "a", "c"])
        #expect(ids(decide(queued, workers: 2)) == ["b", "a"])
    }

    @Test func numWorkersCountsRunningJobs() {
        let queued = [Entry(id: "a", due: 0, params: [:]), Entry(id: "b", due: 0, params: [:])]
        #expect(decide(queued, running: [[:]], workers: 1) == SchedulerPolicy.Decision(starts: [], nextDue: nil))
        #expect(ids(decide(queued, running: [[:]], workers: 2)) == ["a"])
        #expect(decide(queued, running: [[:], [:], [:]], workers: 2).starts.isEmpty)
        #expect(decide(queued, workers: 0).starts.isEmpty)
        #expect(decide([], workers: 4) == SchedulerPolicy.Decision(starts: [], nextDue: nil))
    }

    @Test func futureDueStopsTheSearchAndArmsAWakeUp() {
        let queued = [Entry(id: "a", due: 90, params: [:]), Entry(id: "b", due: 130, params: [:]),
                      Entry(id: "c", due: 200, params: [:])]
        let decision = decide(queued, workers: 5, now: 100)
        #expect(ids(decision) == ["a"])
        #expect(decision.nextDue == 130)
        #expect(decide(queued, workers: 5, now: 130).nextDue == 200)
        #expect(decide(queued, workers: 5, now: 300).nextDue == nil)
    }

    @Test func blockingParamsSkipMessagesLikeARunningOne() {
        let queued = [Entry(id: "a", due: 1, params: [2: "host1"]), Entry(id: "b", due: 2, params: [2: "host1"]),
                      Entry(id: "c", due: 3, params: [2: "host2"]), Entry(id: "d", due: 4, params: [:])]
        #expect(ids(decide(queued, running: [[2: "host1"]], workers: 2, blocking: [2])) == ["c"])
        // Started ones block too, and absent params form their own (null) tuple.
        #expect(ids(decide(queued, workers: 9, blocking: [2])) == ["a", "c", "d"])
        #expect(ids(decide(queued, running: [[:]], workers: 9, blocking: [2])) == ["a", "c"])
        let allBlocked = decide([queued[0], queued[1]], running: [[2: "host1"]], workers: 3, blocking: [2])
        #expect(allBlocked == SchedulerPolicy.Decision(starts: [], nextDue: nil))
    }

    @Test func blockingTupleUsesEveryListedParamInOrder() {
        let queued = [Entry(id: "a", due: 1, params: [1: "x", 3: "y"]), Entry(id: "b", due: 2, params: [1: "x", 3: "z"])]
        #expect(ids(decide(queued, running: [[1: "x", 3: "y"]], workers: 3, blocking: [1, 3])) == ["b"])
        #expect(ids(decide(queued, running: [[1: "y", 3: "x"]], workers: 3, blocking: [1, 3])) == ["a", "b"])
    }

    @Test func firstUnblockedCandidateInTheFutureStopsEvenIfLaterOnesAreDue() {
        let queued = [Entry(id: "a", due: 1, params: [1: "busy"]), Entry(id: "b", due: 500, params: [1: "free"])]
        let decision = decide(queued, running: [[1: "busy"]], workers: 3, blocking: [1])
        #expect(decision == SchedulerPolicy.Decision(starts: [], nextDue: 500))
    }

    @Test func coalescingFoldsEqualParamsWhateverTheirDue() {
        let queued = [Entry(id: "m", due: 1, params: [1: "k", 2: "p"]), Entry(id: "d1", due: 300, params: [1: "k"]),
                      Entry(id: "x", due: 2, params: [1: "other"]), Entry(id: "d2", due: 200, params: [1: "k", 2: "q"])]
        let decision = decide(queued, workers: 1, coalesce: [1])
        #expect(decision.starts == [SchedulerPolicy.Start(id: "m", coalescedIds: ["d2", "d1"])])
        #expect(decision.nextDue == nil)
        let two = decide(queued, workers: 2, coalesce: [1])
        #expect(two.starts == [SchedulerPolicy.Start(id: "m", coalescedIds: ["d2", "d1"]),
                               SchedulerPolicy.Start(id: "x", coalescedIds: [])])
        // Both absent counts as equal; every listed param must match.
        let absent = decide([Entry(id: "a", due: 1, params: [:]), Entry(id: "b", due: 2, params: [:]),
                             Entry(id: "c", due: 3, params: [2: "v"])], workers: 1, coalesce: [1, 2])
        #expect(absent.starts == [SchedulerPolicy.Start(id: "a", coalescedIds: ["b"])])
    }

    @Test func noCoalescingWithoutCoalesceParams() {
        let queued = [Entry(id: "a", due: 1, params: [1: "k"]), Entry(id: "b", due: 2, params: [1: "k"])]
        #expect(decide(queued, workers: 1).starts == [SchedulerPolicy.Start(id: "a", coalescedIds: [])])
    }
}
