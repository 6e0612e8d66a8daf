import RQStore

/// One `timers/<name>.json`: `{"period": seconds, "msg": {message fields}}` (spec relay.md,
/// reference/queue-config.md §2.8). The message goes to `msg.dest`, or to `relay` when that is
/// a URL, with every field of `msg` as given.
struct TimerDefinition: Equatable {
    let name: String
    let period: Int
    let message: JSONObject

    /// The original refused periods under 60 s because its scan ran once a minute; ours fires
    /// on a loop timer at the due second, so one second is the floor.
    static let minimumPeriod = 1

    var dest: String { message["dest"]?.stringValue ?? "" }
    /// Where the message is created: a URL dest is stored in `relay`, which delivers it.
    var queue: String { dest.hasPrefix("http:") || dest.hasPrefix("https:") ? "relay" : dest }

    /// The reason is the log line's text (the original's wording where it had one).
    static func parse(name: String, bytes: [UInt8]) -> Result<TimerDefinition, TimerProblem> {
        guard let object = (try? JSONValue.parse(bytes))?.objectValue else { return .failure(.init("invalid json")) }
        let period: Int
        switch object["period"] {
        case nil: return .failure(.init("missing 'period' field"))
        case .number(let value)? where value == value.rounded() && abs(value) < 1e15: period = Int(value)
        case .string(let text)? where Int(text) != nil: period = Int(text)!
        case let other?: return .failure(.init("invalid 'period' field [\(other.compactString)]"))
        }
        guard period >= minimumPeriod else { return .failure(.init("'period' field too small [\(period)]")) }
        guard let message = object["msg"]?.objectValue else { return .failure(.init("missing 'msg' field")) }
        guard let dest = message["dest"]?.stringValue, !dest.isEmpty else {
            return .failure(.init("missing 'msg.dest' field"))
        }
        return .success(TimerDefinition(name: name, period: period, message: message))
    }
}

struct TimerProblem: Error, Equatable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
