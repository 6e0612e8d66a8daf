/// A replayable `StoreMutation` as stored in a journal segment: a little-endian UInt32 payload
/// length, a UInt32 CRC-32 of the payload, then the payload, one compact JSON object
/// (`{"q":queue,"i":id,"c":change,…}`). A zero length marks the end of the written part of a
/// (zero-filled) segment.
enum JournalRecord {
    static let headerSize = 8
    /// Far above any record (a msg is bounded by the request limits): a larger length is junk.
    static let maxPayload = 64 << 20

    static func encode(_ mutation: StoreMutation) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: headerSize)
        bytes.reserveCapacity(256)
        var payload = PayloadWriter(bytes)
        payload.field("q", mutation.queue, first: true)
        payload.field("i", mutation.id)
        switch mutation.change {
        case .created(let msg):
            payload.field("c", "created")
            payload.field("m", utf8: msg)
        case .committed:
            payload.field("c", "committed")
        case .queued(let msg):
            payload.field("c", "queued")
            payload.field("m", utf8: msg)
        case .moved(let from, let to):
            payload.field("c", "moved")
            payload.field("f", from.rawValue)
            payload.field("s", to.rawValue)
        case .rewritten(let state, let msg):
            payload.field("c", "rewritten")
            payload.field("s", state.rawValue)
            payload.field("m", utf8: msg)
        case .status(let state, let text):
            payload.field("c", "status")
            payload.field("s", state.rawValue)
            payload.field("t", text)
        case .attached(let state, let name):
            payload.field("c", "attached")
            payload.field("s", state.rawValue)
            payload.field("n", name)
        case .attachmentRemoved(let name):
            payload.field("c", "attachmentRemoved")
            payload.field("n", name)
        case .acknowledged:
            payload.field("c", "acknowledged")
        case .deleted:
            payload.field("c", "deleted")
        }
        bytes = payload.finish()
        let length = bytes.count - headerSize
        let checksum = bytes.withUnsafeBufferPointer { CRC32.checksum(UnsafeBufferPointer(rebasing: $0[headerSize...])) }
        put(UInt32(length), into: &bytes, at: 0)
        put(checksum, into: &bytes, at: 4)
        return bytes
    }

    /// Appends `"key":value` members of the payload object straight into the record bytes,
    /// the msg bytes without a round trip through `String`.
    struct PayloadWriter {
        private var bytes: [UInt8]

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func field(_ key: StaticString, _ value: String?, first: Bool = false) {
            name(key, first: first)
            guard let value else { return bytes += "null".utf8 }
            JSONValue.writeString(value, into: &bytes)
        }

        mutating func field(_ key: StaticString, utf8 value: [UInt8]) {
            name(key, first: false)
            value.withUnsafeBufferPointer { JSONValue.writeString(utf8: $0, into: &bytes) }
        }

        private mutating func name(_ key: StaticString, first: Bool) {
            bytes.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            bytes += "\":".utf8
        }

        consuming func finish() -> [UInt8] {
            bytes.append(UInt8(ascii: "}"))
            return bytes
        }
    }

    /// The mutation in a payload whose checksum matched; nil when it is not one we wrote.
    static func decode(payload: ArraySlice<UInt8>) -> StoreMutation? {
        guard let object = (try? JSONValue.parse(Array(payload)))?.objectValue,
              let queue = object["q"]?.stringValue, let id = object["i"]?.stringValue,
              let kind = object["c"]?.stringValue else { return nil }
        let state = object["s"]?.stringValue.flatMap(MessageState.init(rawValue:))
        let msg = object["m"]?.stringValue.map { Array($0.utf8) }
        let change: StoreMutation.Change
        switch kind {
        case "created":
            guard let msg else { return nil }
            change = .created(msg: msg)
        case "committed":
            change = .committed
        case "queued":
            guard let msg else { return nil }
            change = .queued(msg: msg)
        case "moved":
            guard let from = object["f"]?.stringValue.flatMap(MessageState.init(rawValue:)), let state else { return nil }
            change = .moved(from: from, to: state)
        case "rewritten":
            guard let state, let msg else { return nil }
            change = .rewritten(state: state, msg: msg)
        case "status":
            guard let state, let text = object["t"] else { return nil }
            change = .status(state: state, text: text.stringValue)
        case "attached":
            guard let state, let name = object["n"]?.stringValue else { return nil }
            change = .attached(state: state, name: name)
        case "attachmentRemoved":
            guard let name = object["n"]?.stringValue else { return nil }
            change = .attachmentRemoved(name: name)
        case "acknowledged":
            change = .acknowledged
        case "deleted":
            change = .deleted
        default:
            return nil
        }
        return StoreMutation(queue: queue, id: id, change)
    }

    static func put(_ value: UInt32, into bytes: inout [UInt8], at offset: Int) {
        for byte in 0..<4 { bytes[offset + byte] = UInt8(truncatingIfNeeded: value >> UInt32(byte * 8)) }
    }

    static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << UInt32($1 * 8) }
    }
}
