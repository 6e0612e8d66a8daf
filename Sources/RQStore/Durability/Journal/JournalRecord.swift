/// A replayable `StoreMutation` as stored in a journal segment: a little-endian UInt32 payload
/// length, a UInt32 CRC-32 of the payload, then the payload, one compact JSON object
/// (`{"q":queue,"i":id,"c":change,…}`). A zero length marks the end of the written part of a
/// (zero-filled) segment.
enum JournalRecord {
    static let headerSize = 8
    /// Far above any record (a msg is bounded by the request limits): a larger length is junk.
    static let maxPayload = 64 << 20

    static func encode(_ mutation: StoreMutation) -> [UInt8] {
        var object: JSONObject = ["q": .string(mutation.queue), "i": .string(mutation.id)]
        switch mutation.change {
        case .created(let msg):
            object["c"] = "created"
            object["m"] = .string(String(decoding: msg, as: UTF8.self))
        case .committed:
            object["c"] = "committed"
        case .moved(let from, let to):
            object["c"] = "moved"
            object["f"] = .string(from.rawValue)
            object["s"] = .string(to.rawValue)
        case .rewritten(let state, let msg):
            object["c"] = "rewritten"
            object["s"] = .string(state.rawValue)
            object["m"] = .string(String(decoding: msg, as: UTF8.self))
        case .status(let state, let text):
            object["c"] = "status"
            object["s"] = .string(state.rawValue)
            object["t"] = text.map { .string($0) } ?? .null
        case .attached(let state, let name):
            object["c"] = "attached"
            object["s"] = .string(state.rawValue)
            object["n"] = .string(name)
        case .attachmentRemoved(let name):
            object["c"] = "attachmentRemoved"
            object["n"] = .string(name)
        case .acknowledged:
            object["c"] = "acknowledged"
        case .deleted:
            object["c"] = "deleted"
        }
        let payload = Array(JSONValue.object(object).compactString.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headerSize + payload.count)
        append(UInt32(payload.count), to: &bytes)
        append(CRC32.checksum(payload), to: &bytes)
        bytes += payload
        return bytes
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

    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << UInt32($1 * 8) }
    }
}
