import RQStore

/// The original's resend schedule, `count² × base` seconds (relay base 10 s, webhook 60 s),
/// stretched by up to `jitter` so messages that failed together do not retry in lockstep.
/// A queue may set its own base with `env_vars: {"RQ_RETRY_BASE_SECONDS": "1"}` (tests use 0
/// or 1; the original had no knob).
struct RetryBackoff: Equatable, Sendable {
    static let baseVariable = "RQ_RETRY_BASE_SECONDS"
    static let jitter = 0.1

    let baseSeconds: Double

    init(baseSeconds: Double) {
        self.baseSeconds = baseSeconds
    }

    /// The base from the queue's env_vars when it is a non-negative number, else `defaultBase`.
    init(envVars: JSONObject, defaultBase: Double) {
        let configured = QueueKnobs.number(envVars[Self.baseVariable])
        if let configured, configured.isFinite, configured >= 0 {
            baseSeconds = configured
        } else {
            baseSeconds = defaultBase
        }
    }

    /// Seconds to wait after the attempt made with `count`; `unit` in [0, 1) picks the jitter.
    func delay(count: Int, unit: Double) -> Int {
        let n = Double(max(0, min(count, 1_000_000)))
        let seconds = n * n * baseSeconds * (1 + Self.jitter * min(max(unit, 0), 1))
        return seconds < Double(Int32.max) ? Int(seconds.rounded()) : Int(Int32.max)
    }
}
