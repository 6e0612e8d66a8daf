/// The `back` form field names where to go after a POST (the page's own path). Only a path on
/// this server is followed: an absolute URL, a scheme-relative `//host`, or `/\host` (which
/// browsers read as `//host`) would make the server an open redirector.
enum RedirectTarget {
    static func isLocalPath(_ text: String) -> Bool {
        guard text.hasPrefix("/"), !text.hasPrefix("//"), !text.hasPrefix("/\\") else { return false }
        return !text.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == " " || $0 == "\\" }
    }
}

extension WebRequest {
    /// The `back` field when it is a path on this server, else `fallback`.
    func back(or fallback: String) -> String {
        guard let back = field("back"), RedirectTarget.isLocalPath(back) else { return fallback }
        return back
    }
}
