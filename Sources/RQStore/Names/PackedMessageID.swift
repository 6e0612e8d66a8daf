/// A short message id (`YYYYMMDD.HHMM.SS.mmm.<n>`) in 16 bytes instead of a ~60-byte heap
/// string, so a million queued messages fit in the memory the index is allowed (issue 10).
/// The 17 timestamp digits fit in 57 bits; `<n>` (an inode number) in 64 bits when it has
/// no leading zero and fewer than 20 digits. Ids that do not pack that way (hand-made
/// leading zeros, 20-digit numbers) are numbered by the `PackedMessageIDTable` that holds
/// them, so every valid id still gets a unique packed value.
struct PackedMessageID: Hashable, Comparable, Sendable {
    /// Timestamp digits shifted left by one; bit 0 set marks a table-numbered id.
    let high: UInt64
    /// `<n>`, or the table number.
    let low: UInt64

    static func < (a: PackedMessageID, b: PackedMessageID) -> Bool {
        a.high < b.high || (a.high == b.high && a.low < b.low)
    }

    var isTableNumbered: Bool { high & 1 == 1 }

    /// The packed form of a valid short id, or nil when it needs a table number.
    static func pack(_ id: String) -> PackedMessageID? {
        let widths = [8, 4, 2, 3]
        var stamp: UInt64 = 0
        var number: UInt64 = 0
        var group = 0
        var digitsInGroup = 0
        for byte in id.utf8 {
            if byte == UInt8(ascii: ".") {
                guard group < 4, digitsInGroup == widths[group] else { return nil }
                group += 1
                digitsInGroup = 0
                continue
            }
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let digit = UInt64(byte - 0x30)
            digitsInGroup += 1
            if group < 4 {
                stamp = stamp * 10 + digit
            } else {
                if digitsInGroup == 2, number == 0 { return nil }  // leading zero: keep the text
                guard digitsInGroup <= 19 else { return nil }
                number = number * 10 + digit
            }
        }
        guard group == 4, digitsInGroup > 0 else { return nil }
        return PackedMessageID(high: stamp << 1, low: number)
    }

    /// The id text of a packed (not table-numbered) id.
    var unpacked: String {
        precondition(!isTableNumbered)
        var stamp = high >> 1
        // YYYYMMDD.HHMM.SS.mmm. is 21 bytes; fill the 17 digits from the right.
        var bytes = [UInt8](repeating: UInt8(ascii: "."), count: 21)
        for position in [19, 18, 17, 15, 14, 12, 11, 10, 9, 7, 6, 5, 4, 3, 2, 1, 0] {
            bytes[position] = UInt8(ascii: "0") + UInt8(stamp % 10)
            stamp /= 10
        }
        return String(decoding: bytes, as: UTF8.self) + String(low)
    }
}

/// Packs ids for one index and keeps the few that do not pack.
struct PackedMessageIDTable {
    private var idsByNumber: [String] = []
    private var numbers: [String: UInt64] = [:]

    mutating func pack(_ id: String) -> PackedMessageID {
        if let packed = PackedMessageID.pack(id) { return packed }
        if let number = numbers[id] { return PackedMessageID(high: 1, low: number) }
        let number = UInt64(idsByNumber.count)
        idsByNumber.append(id)
        numbers[id] = number
        return PackedMessageID(high: 1, low: number)
    }

    /// The packed value of `id` if it was ever packed by this table (no new number).
    func lookUp(_ id: String) -> PackedMessageID? {
        if let packed = PackedMessageID.pack(id) { return packed }
        return numbers[id].map { PackedMessageID(high: 1, low: $0) }
    }

    func unpack(_ packed: PackedMessageID) -> String {
        packed.isTableNumbered ? idsByNumber[Int(packed.low)] : packed.unpacked
    }
}
