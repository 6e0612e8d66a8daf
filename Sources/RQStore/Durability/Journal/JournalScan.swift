/// The records of one segment's bytes, and how the segment ends.
struct JournalScan {
    enum End: Equatable {
        /// A zero length (the unwritten, zero-filled rest) or the exact end of the file.
        case clean
        /// A bad record with nothing but zeros after it: the last write was cut short by the
        /// crash. It was never acknowledged (its fdatasync had not returned).
        case torn(offset: Int)
        /// A bad record with data after it: the segment was damaged. Nothing after it can be
        /// trusted to be in order, so replay stops here.
        case corrupt(offset: Int)
    }

    var records: [StoreMutation] = []
    var end = End.clean

    init(_ bytes: [UInt8]) {
        var offset = 0
        while offset + JournalRecord.headerSize <= bytes.count {
            let length = Int(JournalRecord.readUInt32(bytes, at: offset))
            if length == 0 {
                end = Self.isZero(bytes[offset...]) ? .clean : .corrupt(offset: offset)
                return
            }
            let start = offset + JournalRecord.headerSize
            let payloadEnd = start + length
            guard length <= JournalRecord.maxPayload, payloadEnd <= bytes.count,
                  CRC32.checksum(bytes[start..<payloadEnd]) == JournalRecord.readUInt32(bytes, at: offset + 4),
                  let record = JournalRecord.decode(payload: bytes[start..<payloadEnd]) else {
                end = Self.isZero(bytes[min(payloadEnd, bytes.count)...]) ? .torn(offset: offset) : .corrupt(offset: offset)
                return
            }
            records.append(record)
            offset = payloadEnd
        }
        if !Self.isZero(bytes[offset...]) { end = .torn(offset: offset) }
    }

    static func isZero(_ bytes: ArraySlice<UInt8>) -> Bool { !bytes.contains { $0 != 0 } }
}
