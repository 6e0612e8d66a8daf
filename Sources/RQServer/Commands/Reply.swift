import RQStore

/// Reply payloads of the rq1 sockets (compact JSON).
enum Reply {
    static func ok(_ value: JSONValue) -> String { JSONValue.array(["ok", value]).compactString }
    static func ok() -> String { #"["ok"]"# }
    static func fail(_ reason: String) -> String { JSONValue.array(["fail", .string(reason)]).compactString }
    static func fail(_ failure: StoreFailure) -> String { fail(failure.reason) }
    /// Store operations throw `StoreFailure`; anything else is reported by its description.
    static func fail(_ error: any Error) -> String {
        if let failure = error as? StoreFailure { return fail(failure.reason) }
        return fail(String(describing: error))
    }
    static func single(_ value: JSONValue) -> String { JSONValue.array([value]).compactString }
    static func raw(_ value: JSONValue) -> String { value.compactString }
}
