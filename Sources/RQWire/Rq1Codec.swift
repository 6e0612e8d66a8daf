/// The rq1 frame: `rq1 ` + payload size as 8 zero-padded decimal digits + ` ` + payload.
/// Pure byte-level encoding and incremental decoding, shared by the server and the `rq` CLI.
public enum Rq1Codec {
    public static let headerSize = 13
    public static let maxPayload = 99_999_999

    public enum DecodeError: Error, Equatable {
        case badPrefix
        case badSize
    }

    public static func encode(_ payload: String) -> [UInt8] {
        encode(Array(payload.utf8))
    }

    public static func encode(_ payload: [UInt8]) -> [UInt8] {
        precondition(payload.count <= maxPayload, "rq1 payload too large")
        var digits = Array(String(payload.count).utf8)
        while digits.count < 8 { digits.insert(UInt8(ascii: "0"), at: 0) }
        return Array("rq1 ".utf8) + digits + [UInt8(ascii: " ")] + payload
    }

    /// Looks at the start of `buffer`. Returns nil while more bytes are needed, the payload
    /// size once a valid header is complete, and throws as soon as the bytes cannot be rq1.
    public static func payloadSize(header buffer: some Collection<UInt8>) throws(DecodeError) -> Int? {
        let prefix = Array("rq1 ".utf8)
        var index = 0
        var size = 0
        for byte in buffer.prefix(headerSize) {
            switch index {
            case 0..<4:
                if byte != prefix[index] { throw .badPrefix }
            case 4..<12:
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .badSize }
                size = size * 10 + Int(byte - UInt8(ascii: "0"))
            default:
                if byte != UInt8(ascii: " ") { throw .badSize }
            }
            index += 1
        }
        return index == headerSize ? size : nil
    }

    /// Splits a request payload at the first space into command and argument.
    public static func splitRequest(_ payload: String) -> (command: String, argument: String) {
        guard let space = payload.firstIndex(of: " ") else { return (payload, "") }
        return (String(payload[..<space]), String(payload[payload.index(after: space)...]))
    }
}
