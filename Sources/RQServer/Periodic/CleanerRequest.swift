import Foundation

/// What one message to the `cleaner` queue asks for (spec relay.md "Cleaner"): `param1` a
/// queue name or `ALLQUEUES`, `param2` the days to keep (default 2).
struct CleanerRequest: Equatable {
    enum Target: Equatable {
        case allQueues
        case queue(String)
    }

    let target: Target
    let days: Int

    static let defaultDays = 2

    /// The original took the first digit of param2 ("14" meant 1); ours reads the whole number.
    static func parse(param1: String?, param2: String?) -> Result<CleanerRequest, CleanerProblem> {
        let name = (param1 ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return .failure(.init("param1 must name a queue or ALLQUEUES")) }
        var days = defaultDays
        if let text = param2?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let value = Int(text), value >= 0 else {
                return .failure(.init("param2 must be a whole number of days, not \(text)"))
            }
            days = value
        }
        return .success(CleanerRequest(target: name == "ALLQUEUES" ? .allQueues : .queue(name), days: days))
    }
}

struct CleanerProblem: Error, Equatable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
