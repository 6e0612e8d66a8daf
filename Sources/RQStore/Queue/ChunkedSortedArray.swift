/// A sorted sequence kept as a list of sorted chunks of at most `chunkLimit` elements.
/// Inserting or removing costs a binary search plus moving at most one chunk's elements,
/// where a flat sorted array moves everything after the position: with a million queued
/// messages that was ~8 ms per start or delete, here it is microseconds. Walking in order is
/// as cheap as walking an array.
///
/// Hand-written because swift-collections' `SortedSet` is still an unstable prototype (behind
/// a package trait, "not ready for use in production"); `Heap` cannot remove arbitrary
/// elements or be walked in order.
///
/// Elements must be unique under their ordering: `remove` and `find` take the one that is
/// neither less nor greater than the given element.
///
/// Memory matters here (a million queued messages, three of these): elements appended past
/// the end start a new chunk once the last is full, so ordered loads fill chunks completely,
/// and a full chunk is split into two fresh arrays before it would grow (Array doubles its
/// capacity, which left a half-empty 1,024-element buffer behind every split).
struct ChunkedSortedArray<Element: Comparable> {
    static var chunkLimit: Int { 512 }

    private(set) var chunks: [[Element]] = []
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }
    var first: Element? { chunks.first?.first }
    var last: Element? { chunks.last?.last }

    /// Ascending.
    var elements: FlattenSequence<[[Element]]> { chunks.joined() }

    /// Descending.
    var reversedElements: LazySequence<FlattenSequence<LazyMapSequence<ReversedCollection<[[Element]]>, ReversedCollection<[Element]>>>> {
        chunks.reversed().lazy.map { $0.reversed() }.joined()
    }

    mutating func insert(_ element: Element) {
        count += 1
        guard let lastChunk = chunks.indices.last else {
            chunks = [[element]]
            return
        }
        if chunks[lastChunk][chunks[lastChunk].count - 1] < element {
            if chunks[lastChunk].count < Self.chunkLimit {
                chunks[lastChunk].append(element)
            } else {
                chunks.append([element])
            }
            return
        }
        var chunk = firstChunk(notBefore: element)
        if chunks[chunk].count >= Self.chunkLimit {
            let half = chunks[chunk].count / 2
            let upper = Array(chunks[chunk][half...])
            chunks[chunk] = Array(chunks[chunk][..<half])
            chunks.insert(upper, at: chunk + 1)
            if upper[0] < element || upper[0] == element { chunk += 1 }
        }
        let position = firstIndex(in: chunks[chunk], notBefore: element)
        chunks[chunk].insert(element, at: position)
    }

    /// The stored element equal to `element` under the ordering (found by binary search).
    func find(_ element: Element) -> Element? {
        let chunk = firstChunk(notBefore: element)
        guard chunk < chunks.count else { return nil }
        let position = firstIndex(in: chunks[chunk], notBefore: element)
        guard position < chunks[chunk].count, !(element < chunks[chunk][position]) else { return nil }
        return chunks[chunk][position]
    }

    /// Removes the element that sorts equal to `element`; false if there is none.
    @discardableResult
    mutating func remove(_ element: Element) -> Bool {
        let chunk = firstChunk(notBefore: element)
        guard chunk < chunks.count else { return false }
        let position = firstIndex(in: chunks[chunk], notBefore: element)
        guard position < chunks[chunk].count, !(element < chunks[chunk][position]) else { return false }
        chunks[chunk].remove(at: position)
        count -= 1
        if chunks[chunk].isEmpty { chunks.remove(at: chunk) }
        return true
    }

    /// The first chunk whose last element is not less than `element` (`chunks.count` if none).
    private func firstChunk(notBefore element: Element) -> Int {
        var low = 0
        var high = chunks.count
        while low < high {
            let mid = (low + high) / 2
            if chunks[mid][chunks[mid].count - 1] < element { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The first position in `chunk` whose element is not less than `element`.
    private func firstIndex(in chunk: [Element], notBefore element: Element) -> Int {
        var low = 0
        var high = chunk.count
        while low < high {
            let mid = (low + high) / 2
            if chunk[mid] < element { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
