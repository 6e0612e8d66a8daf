import RQStore
/// `dup <due>-<flag>-<newdest>` (worker-protocol.md §6.4.1): clone the running message to
/// another queue, or to the local `relay` queue when the destination is a URL.
public struct DupRequest: Equatable, Sendable {
    public let delaySeconds: Int
    /// Documented as `X`; carried along but ignored.
    public let flag: String
    /// Queue name or URL; may itself contain `-`.
    public let destination: String

    public init(delaySeconds: Int, flag: String, destination: String) {
        self.delaySeconds = delaySeconds
        self.flag = flag
        self.destination = destination
    }

    /// The local queue that receives the copy.
    public var targetQueue: String {
        destination.hasPrefix("http") ? "relay" : destination
    }

    public struct Malformed: Error, Equatable, Sendable {
        public let reason: String
    }

    /// Splits at the first two `-`; the delay is Ruby `to_i` of the first part.
    public static func parse(_ text: String?) -> Result<DupRequest, Malformed> {
        guard let text else { return .failure(Malformed(reason: "dup failed - missing <due>-<flag>-<dest>")) }
        let parts = text.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty else {
            return .failure(Malformed(reason: "dup failed - malformed request '\(text)', expected <due>-<flag>-<dest>"))
        }
        return .success(DupRequest(
            delaySeconds: RubyInteger.leadingValue(of: String(parts[0])),
            flag: String(parts[1]),
            destination: String(parts[2])))
    }
}
