/// How one relay attempt ended, for the run state machine (the same outcomes a relay script
/// reports with its status lines).
enum RelayOutcome: Equatable, Sendable {
    /// `relayed <remote full id>`
    case relayed(remoteFullID: String)
    /// The original's soft-fail: `resend <count² × base>-<reason>`; `err` past `max_count`.
    case retry(String)
    /// No retry can help (bad dest URL, a peer that is not RQ, a refused request): `err <reason>`.
    case failed(String)
}

/// Side effects the conversation asks of its driver, in order.
enum RelayEffect: Equatable, Sendable {
    /// One line for the relay message's `job/stdio.log`.
    case log(String)
    /// Write `relay_id` durably before the next request.
    case rememberRemoteID(String)
    /// Remove `relay_id`.
    case forgetRemoteID
}
