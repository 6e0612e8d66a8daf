import Testing
@testable import RQStore
import TestSupport

@Suite struct ChunkedSortedArrayTests {
    /// Random inserts and removes, checked after every step against a plain sorted array;
    /// enough elements to split chunks many times and to empty some again.
    @Test(arguments: [1, 2, 3])
    func matchesASortedArrayUnderRandomOperations(seed: UInt64) {
        var generator = SplitMix64(state: seed)
        var chunked = ChunkedSortedArray<Int>(by: <)
        var reference: [Int] = []
        var present = Set<Int>()
        for step in 0..<6_000 {
            let value = Int.random(in: 0..<4_000, using: &generator)
            if present.contains(value) {
                let removed = chunked.remove(value)
                #expect(removed)
                reference.remove(at: reference.firstIndex(of: value)!)
                present.remove(value)
            } else {
                chunked.insert(value)
                reference.insert(value, at: reference.firstIndex(where: { $0 > value }) ?? reference.count)
                present.insert(value)
            }
            if step % 250 == 0 || step > 5_990 {
                #expect(Array(chunked.elements) == reference)
                #expect(Array(chunked.reversedElements) == reference.reversed())
                #expect(chunked.count == reference.count)
                #expect(chunked.first == reference.first && chunked.last == reference.last)
                #expect(chunked.chunks.allSatisfy { !$0.isEmpty && $0.count <= ChunkedSortedArray<Int>.chunkLimit })
            }
        }
        let missingLow = chunked.remove(-1)
        let missingHigh = chunked.remove(10_000)
        #expect(!missingLow && !missingHigh)
    }

    @Test func emptyAndSingle() {
        var chunked = ChunkedSortedArray<Int>(by: <)
        #expect(chunked.isEmpty && chunked.first == nil && Array(chunked.elements).isEmpty)
        let removedFromEmpty = chunked.remove(1)
        #expect(!removedFromEmpty)
        chunked.insert(1)
        #expect(Array(chunked.elements) == [1])
        let removedOnly = chunked.remove(1)
        #expect(removedOnly)
        #expect(chunked.isEmpty && chunked.chunks.isEmpty)
    }

    /// A million queued messages: the scheduler's start and a delete stay cheap (the old flat
    /// arrays moved every later entry). Correctness only; speed is in perf/.
    @Test func aLargeQueueKeepsItsOrderThroughFrontRemovals() {
        var index = QueueIndex()
        for i in 0..<200_000 { index.enqueue(id: "m\(i)", due: Double(i % 7), params: []) }
        for i in stride(from: 0, to: 200_000, by: 7) { index.removeFromQue("m\(i)") }  // every due-0 entry
        let firstDue = index.schedule.first
        #expect(firstDue?.id == "m1" && firstDue?.due == 1)
        #expect(index.arrivals.last?.id == "m199999")
        #expect(index.que.count == index.schedule.count && index.schedule.count == index.arrivals.count)
        index.setDue("m199999", to: -1)
        #expect(index.schedule.first?.id == "m199999")
        #expect(index.arrivals.last?.id == "m199999", "run_message keeps the enqueue position")
    }
}
