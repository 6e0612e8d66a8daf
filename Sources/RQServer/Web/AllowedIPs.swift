/// config.json `allowed_ips` (spec rest-api.md §3.1): when non-empty, a client whose IP string
/// contains none of the entries gets 403 before routing. Substring matching is the original's
/// rule (`127.0.0` admits 127.0.0.1), kept for compatibility.
enum AllowedIPs {
    static func admits(peer: String, allowed: [String]) -> Bool {
        guard !allowed.isEmpty else { return true }
        let ip = address(of: peer)
        return allowed.contains { !$0.isEmpty && ip.contains($0) }
    }

    /// "127.0.0.1:5555" → "127.0.0.1", "[::1]:5555" → "::1".
    static func address(of peer: String) -> String {
        if peer.hasPrefix("["), let close = peer.firstIndex(of: "]") {
            return String(peer[peer.index(after: peer.startIndex)..<close])
        }
        if let colon = peer.lastIndex(of: ":") { return String(peer[..<colon]) }
        return peer
    }
}
