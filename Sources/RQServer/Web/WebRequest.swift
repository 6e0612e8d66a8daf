import RQLoop

/// One HTTP request as the route handlers see it.
struct WebRequest {
    let http: HTTPRequest
    let route: Route
    let flash: Flash?

    /// The last value given for a form or query field.
    func field(_ name: String) -> String? {
        http.fields.last(where: { $0.name == name })?.value
    }

    func has(_ name: String) -> Bool { field(name) != nil }

    /// JSON callers get `{"error": …}` bodies (spec rest.md): `.json` routes, `x_format=json`,
    /// or `Accept: application/json`.
    var wantsJSON: Bool {
        route.isJSONRoute || field("x_format") == "json"
            || (http.head.header("Accept")?.contains("application/json") ?? false)
    }

    /// `x_format` with the route's default (`json` for new_message, `html` elsewhere).
    func format(default value: String) -> String { field("x_format") ?? value }
}
