/// The one-shot message shown on the page a redirect lands on (spec rest.md §3.1.3). It
/// travels in a cookie, like the original's session flash; the next page reads and clears it.
struct Flash: Equatable {
    enum Kind: String { case notice, error }
    let kind: Kind
    let text: String

    static let cookieName = "rq_flash"

    /// Cookie value: `notice:` / `error:` + percent-encoded text.
    var cookieValue: String {
        kind.rawValue + ":" + (text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }

    static func fromCookieHeader(_ header: String?) -> Flash? {
        guard let header else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            guard pair.hasPrefix(cookieName + "=") else { continue }
            let value = pair.dropFirst(cookieName.count + 1)
            guard let colon = value.firstIndex(of: ":"),
                  let kind = Kind(rawValue: String(value[..<colon])),
                  let text = String(value[value.index(after: colon)...]).removingPercentEncoding else { return nil }
            return Flash(kind: kind, text: text)
        }
        return nil
    }

    var setCookieHeader: String { "\(Flash.cookieName)=\(cookieValue); Path=/; HttpOnly" }
    static let clearCookieHeader = "\(cookieName)=; Path=/; Max-Age=0; HttpOnly"
}

import Foundation
