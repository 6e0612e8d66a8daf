import Collections

/// An object's members in the order they were written or parsed: replies and configs keep a
/// stable, readable key order (e.g. `{"prep":0,"que":0,…}`), which a plain `Dictionary` would
/// shuffle on every run.
public typealias JSONObject = OrderedDictionary<String, JSONValue>

/// A JSON document. Numbers are `Double`; integral values within ±2^53 are written without a
/// fraction, so ids, counts and due times round-trip as JSON integers.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public static func int(_ value: Int) -> JSONValue { .number(Double(value)) }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// Member lookup on objects; `nil` for any other kind.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// Ruby's `to_i`, which the original applied to numbers arriving as strings from the CLI
    /// and web forms: leading blanks, optional sign, leading digits; anything else is 0.
    public var rubyToInt: Int {
        switch self {
        case .number(let n):
            guard n.isFinite, n.magnitude < 9.0e18 else { return 0 }
            return Int(n.rounded(.towardZero))
        case .string(let s):
            return RubyInteger.leadingValue(of: s)
        case .bool, .null, .array, .object:
            return 0
        }
    }

    /// Ruby-style truthiness used by legacy config flags: `true`, `"true"`, `"yes"`, `"1"`, `1`.
    public var isTruthyFlag: Bool {
        switch self {
        case .bool(let b): return b
        case .number(let n): return n == 1
        case .string(let s): return ["true", "yes", "1"].contains(s.lowercased())
        case .null, .array, .object: return false
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral,
    ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = JSONObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}
