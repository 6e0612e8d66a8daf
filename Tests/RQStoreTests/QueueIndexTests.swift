import Testing
@testable import RQStore

@Suite struct QueueIndexTests {
    static func id(_ n: Int) -> String { String(format: "20261201.0000.%02d.%03d.%d", n / 1000 % 60, n % 1000, 5_000 + n) }

    /// A large queue keeps its orders through the scheduler's front removals, a run_message and
    /// a re-enqueue. Correctness only; speed and memory are in perf/.
    @Test func aLargeQueueKeepsItsOrders() {
        var index = QueueIndex()
        for i in 0..<200_000 { index.enqueue(id: Self.id(i), due: Double(i % 7), params: []) }
        for i in stride(from: 0, to: 200_000, by: 7) { index.removeFromQue(Self.id(i)) }  // every due-0 entry
        #expect(index.scheduled.first?.id == Self.id(1) && index.earliestDue == 1)
        #expect(index.newestArrival?.id == Self.id(199_999) && index.oldestArrival?.id == Self.id(1))
        #expect(index.queCount == 200_000 - 28_572)
        index.setDue(Self.id(199_999), to: -1)
        #expect(index.scheduled.first?.id == Self.id(199_999))
        #expect(index.newestArrival?.id == Self.id(199_999), "run_message keeps the enqueue position")
        index.enqueue(id: Self.id(1), due: 1, params: [])
        #expect(index.newestArrival?.id == Self.id(1) && index.queCount == 200_000 - 28_572)
        #expect(index.scheduled.prefix(3).map(\.id) == [Self.id(199_999), Self.id(8), Self.id(15)], "re-enqueued: last among due 1")
        #expect(!index.contains(Self.id(0)) && index.queEntry(Self.id(2))?.due == 2)
    }

    /// Messages a start-up scan finds count as queued before every live one; equal due times
    /// run in scan order, then live order.
    @Test func scannedEntriesComeBeforeLiveOnes() {
        var index = QueueIndex()
        index.enqueue(id: Self.id(9), due: 5, params: [])
        index.enqueueScanned(id: Self.id(2), due: 5, params: [], sequence: 2)
        index.enqueueScanned(id: Self.id(1), due: 5, params: [], sequence: 1)
        #expect(index.scheduled.map(\.id) == [Self.id(1), Self.id(2), Self.id(9)])
        #expect(index.oldestArrival?.id == Self.id(1) && index.newestArrival?.id == Self.id(9))
    }

    /// Params are kept only where the queue uses them.
    @Test func paramsAreKeptOnlyWhenAsked() {
        var plain = QueueIndex()
        var blocking = QueueIndex(keepsParams: true)
        plain.enqueue(id: Self.id(1), due: 1, params: [.string("a"), nil, nil, nil])
        blocking.enqueue(id: Self.id(1), due: 1, params: [.string("a"), nil, nil, nil])
        #expect(plain.queEntry(Self.id(1))?.params == [])
        #expect(blocking.queEntry(Self.id(1))?.params == [.string("a"), nil, nil, nil])
        blocking.removeFromQue(Self.id(1))
        #expect(blocking.queEntry(Self.id(1)) == nil)
    }

    /// Ids that do not pack (leading zeros in the number, 20 digits) still round-trip.
    @Test func oddIdsRoundTrip() {
        var index = QueueIndex()
        let odd = ["20261201.0000.00.000.007", "20261201.0000.00.000.99999999999999999999", "20261201.0000.00.000.0"]
        for (n, id) in odd.enumerated() { index.enqueue(id: id, due: Double(n), params: []) }
        #expect(index.scheduled.map(\.id) == odd)
        #expect(odd.allSatisfy { index.contains($0) })
        #expect(!index.contains("20261201.0000.00.000.7"))
        index.removeFromQue(odd[0])
        #expect(index.scheduled.map(\.id) == Array(odd.dropFirst()))
    }
}

@Suite struct PackedMessageIDTests {
    @Test(arguments: ["20261201.2359.59.999.1", "00000000.0000.00.000.0", "99999999.9999.99.999.1234567890123456789",
                      "20091027.1325.22.123.18446744"])
    func packsAndUnpacks(id: String) throws {
        let packed = try #require(PackedMessageID.pack(id))
        #expect(packed.unpacked == id)
    }

    @Test(arguments: ["20261201.2359.59.999.01", "20261201.2359.59.999.12345678901234567890", "2026120.2359.59.999.1",
                      "20261201.2359.59.999.", "20261201.2359.59.999.1.2", "x0261201.2359.59.999.1"])
    func doesNotPackOddOrInvalidIds(id: String) {
        #expect(PackedMessageID.pack(id) == nil)
    }

    @Test func orderFollowsTimeThenNumber() throws {
        let a = try #require(PackedMessageID.pack("20261201.0000.00.000.99"))
        let b = try #require(PackedMessageID.pack("20261201.0000.00.000.100"))
        let c = try #require(PackedMessageID.pack("20261201.0000.00.001.1"))
        #expect(a < b && b < c)
    }
}
