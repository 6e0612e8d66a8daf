import Testing
@testable import RQStore
import TestSupport

@Suite struct ChunkedSortedArrayTests {
    /// Random inserts and removes, checked after every step against a plain sorted array;
    /// enough elements to split chunks many times and to empty some again.
    @Test(arguments: [1, 2, 3])
    func matchesASortedArrayUnderRandomOperations(seed: UInt64) {
        var generator = SplitMix64(state: seed)
        var chunked = ChunkedSortedArray<Int>()
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
        var chunked = ChunkedSortedArray<Int>()
        #expect(chunked.isEmpty && chunked.first == nil && Array(chunked.elements).isEmpty)
        let removedFromEmpty = chunked.remove(1)
        #expect(!removedFromEmpty)
        chunked.insert(1)
        #expect(Array(chunked.elements) == [1])
        let removedOnly = chunked.remove(1)
        #expect(removedOnly)
        #expect(chunked.isEmpty && chunked.chunks.isEmpty)
    }

    /// Ascending inserts (how queues fill) append to the last chunk until it is full: chunks
    /// end up full, not half-full (memory for a million queued messages).
    @Test func ascendingInsertsFillChunks() {
        var chunked = ChunkedSortedArray<Int>()
        for value in 0..<5_000 { chunked.insert(value) }
        #expect(chunked.chunks.dropLast().allSatisfy { $0.count == ChunkedSortedArray<Int>.chunkLimit })
        #expect(Array(chunked.elements) == Array(0..<5_000))
        #expect(chunked.find(4_321) == 4_321 && chunked.find(5_000) == nil && chunked.find(-1) == nil)
    }

    /// Inserting into the middle of full chunks splits them; order and lookups stay right.
    @Test func middleInsertsSplitFullChunks() {
        var chunked = ChunkedSortedArray<Int>()
        for value in stride(from: 0, to: 4_000, by: 2) { chunked.insert(value) }
        for value in stride(from: 1, to: 4_000, by: 2) { chunked.insert(value) }
        #expect(Array(chunked.elements) == Array(0..<4_000))
        #expect(chunked.chunks.allSatisfy { !$0.isEmpty && $0.count <= ChunkedSortedArray<Int>.chunkLimit })
        #expect((0..<4_000).allSatisfy { chunked.find($0) == $0 })
    }
}
