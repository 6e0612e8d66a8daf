import Foundation
import RQLoop
import RQStore

/// Optional HTTP basic auth from config.json `basic_auth: {realm, users}` (spec rest.md §3.1).
enum BasicAuth {
    /// nil when the request may pass; otherwise the 400/401 answer.
    static func check(_ head: HTTPRequestHead, config: RootConfig) -> WebResponse? {
        guard let auth = config.basicAuth else { return nil }
        guard let header = head.header("Authorization") else { return challenge(auth.realm) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let data = Data(base64Encoded: String(parts[1])),
              let pair = String(data: data, encoding: .utf8), let colon = pair.firstIndex(of: ":") else {
            return .jsonError(400, "malformed Authorization header")
        }
        let user = String(pair[..<colon]), password = String(pair[pair.index(after: colon)...])
        return auth.users[user] == password ? nil : challenge(auth.realm)
    }

    private static func challenge(_ realm: String) -> WebResponse {
        WebResponse.text(401, "401 - Not authorized\n").with(headers: [("WWW-Authenticate", "Basic realm=\"\(realm)\"")])
    }
}
