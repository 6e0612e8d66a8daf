/// Short message ids: `YYYYMMDD.HHMM.SS.mmm.<n>`.
public enum MessageID {
    /// `^\d{8}\.\d{4}\.\d\d\.\d{3}\.\d+$` with ASCII digits only; when `allowAcked`, one
    /// leading `.` (an acknowledged err entry) is also accepted.
    public static func isValid(_ id: String, allowAcked: Bool = false) -> Bool {
        var bytes = Substring(id).utf8[...]
        if allowAcked, bytes.first == UInt8(ascii: ".") { bytes = bytes.dropFirst() }
        let groups = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard groups.count == 5 else { return false }
        let widths = [8, 4, 2, 3]
        for (group, width) in zip(groups, widths) where group.count != width { return false }
        guard groups[4].count >= 1, groups[4].count <= 20 else { return false }
        return groups.allSatisfy { group in group.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }

    /// The short id inside a full id (`…/q/<queue>/<id>`), or the text itself when it holds
    /// none (so bare short ids pass through).
    public static func shortID(from text: String) -> String {
        embeddedShortID(in: text) ?? text
    }

    /// The short id inside a full id, or nil when there is none: the first match of
    /// `/q/[^/]+/([^/]+)` (layout.md §1.6.1), which may start at a later `/q/` than the first
    /// (e.g. in `…/q//q/test/<id>`). Scanned by hand: a Swift `Regex` literal compiles its
    /// program on every call, and this runs for every request that names a message (it was
    /// 3 % of the server's CPU while a client polled `get_message_state`).
    public static func embeddedShortID(in text: String) -> String? {
        let bytes = Array(text.utf8)
        for start in queueMarkers(in: bytes) {
            let queueEnd = segmentEnd(bytes, from: start)
            guard queueEnd > start, queueEnd < bytes.count else { continue }
            let idEnd = segmentEnd(bytes, from: queueEnd + 1)
            if idEnd > queueEnd + 1 { return String(decoding: bytes[(queueEnd + 1)..<idEnd], as: UTF8.self) }
        }
        return nil
    }

    /// The queue name inside a full id or queue URL: the first match of `/q/([^/]+)`, if any.
    public static func queueName(from text: String) -> String? {
        let bytes = Array(text.utf8)
        for start in queueMarkers(in: bytes) {
            let end = segmentEnd(bytes, from: start)
            if end > start { return String(decoding: bytes[start..<end], as: UTF8.self) }
        }
        return nil
    }

    /// The index just after each `/q/` in `bytes`, in order.
    private static func queueMarkers(in bytes: [UInt8]) -> some Sequence<Int> {
        let slash = UInt8(ascii: "/"), q = UInt8(ascii: "q")
        return bytes.indices.lazy.filter { index in
            index + 3 <= bytes.count && bytes[index] == slash && bytes[index + 1] == q && bytes[index + 2] == slash
        }.map { $0 + 3 }
    }

    /// The end of the run of non-`/` bytes starting at `start`.
    private static func segmentEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "/") { end += 1 }
        return end
    }

    /// `done/` and `relayed/` sub-path for an id: `YYYYMMDD/HH/MM/<id>`; nil for ids without
    /// the date shape (they can never be in a hash dir).
    public static func hashPath(for id: String) -> String? {
        let bare = id.hasPrefix(".") ? String(id.dropFirst()) : id
        let utf8 = Array(bare.utf8)
        guard utf8.count >= 13, utf8[8] == UInt8(ascii: ".") else { return nil }
        let digits = utf8[0..<8] + utf8[9..<13]
        guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let day = String(decoding: utf8[0..<8], as: UTF8.self)
        let hour = String(decoding: utf8[9..<11], as: UTF8.self)
        let minute = String(decoding: utf8[11..<13], as: UTF8.self)
        return "\(day)/\(hour)/\(minute)/\(id)"
    }
}
