/// Turns a raw request path into safe, percent-decoded segments before routing.
/// Names from URLs become file names, so anything that could escape a directory or confuse
/// a log line (`/` inside a segment, `..`, NUL, control characters) is refused outright
/// (spec README §6 "Path traversal"), instead of being resolved as the original did.
enum RequestPath {
    enum Rejection: Error, Equatable {
        case badEncoding
        case forbiddenSegment(String)
        case outsideRoot
    }

    /// `relativeRoot` is normalised (`/` or `/x/`). Returns the segments below it.
    static func segments(rawPath: String, relativeRoot: String) throws(Rejection) -> [String] {
        var segments: [String] = []
        for raw in rawPath.split(separator: "/", omittingEmptySubsequences: true) {
            guard let decoded = percentDecode(raw) else { throw .badEncoding }
            if decoded == "." { continue }
            if decoded == ".." || decoded.contains("/") || decoded.unicodeScalars.contains(where: isControl) {
                throw .forbiddenSegment(decoded)
            }
            segments.append(decoded)
        }
        let rootSegments = relativeRoot.split(separator: "/").map(String.init)
        guard segments.starts(with: rootSegments) else { throw .outsideRoot }
        return Array(segments.dropFirst(rootSegments.count))
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F
    }

    /// `%XX` decoding of a path segment (`+` stays `+` in paths). Nil for malformed escapes
    /// or invalid UTF-8.
    static func percentDecode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
