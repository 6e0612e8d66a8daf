import RQStore

/// Messages per state, as `num_messages` counts them.
public struct MessageCounts: Equatable, Sendable {
    public var prep = 0, que = 0, run = 0, done = 0, relayed = 0, err = 0

    init(_ object: JSONObject) {
        func count(_ key: String) -> Int { object[key]?.numberValue.flatMap { Int(exactly: $0) } ?? 0 }
        (prep, que, run, done, relayed, err) = (count("prep"), count("que"), count("run"), count("done"), count("relayed"), count("err"))
    }

    public init() {}

    /// In the order pages show them.
    public var listed: [(state: String, count: Int)] {
        [("prep", prep), ("que", que), ("run", run), ("done", done), ("err", err), ("relayed", relayed)]
    }

    /// The `num_messages` reply object, keys in the spec's order.
    var json: JSONObject {
        ["prep": .int(prep), "que": .int(que), "run": .int(run), "done": .int(done), "relayed": .int(relayed), "err": .int(err)]
    }
}
