/// A refused store operation; `reason` is the exact text of the `["fail", reason]` reply.
public struct StoreFailure: Error, Equatable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
