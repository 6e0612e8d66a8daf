import RQStore

/// Per-queue settings of the in-loop runners, read from the queue's `env_vars` (where the
/// original's scripts took theirs), so an operator tunes them with the queue config alone.
struct QueueKnobs: Equatable, Sendable {
    static let timeoutVariable = "RQ_HTTP_TIMEOUT_SECONDS"
    static let defaultTimeout = 60.0

    let backoff: RetryBackoff
    /// Longest wait for a remote's answer: a silent peer holds one relay slot this long.
    let timeout: Double

    init(envVars: JSONObject, defaultBackoffBase: Double) {
        backoff = RetryBackoff(envVars: envVars, defaultBase: defaultBackoffBase)
        let configured = Self.number(envVars[Self.timeoutVariable])
        timeout = configured.flatMap { $0.isFinite && $0 > 0 ? $0 : nil } ?? Self.defaultTimeout
    }

    /// A JSON number or a numeric string (env_vars are usually strings).
    static func number(_ value: JSONValue?) -> Double? {
        value.flatMap { $0.numberValue ?? $0.stringValue.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } }
    }
}
