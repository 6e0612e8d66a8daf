import RQStore

/// A message prepared on the remote RQ: its full id (`http://remote/q/<queue>/<id>`, as the
/// remote wrote it, remembered in `relay_id`) and the two parts the relay needs from it.
struct RemoteMessage: Equatable, Sendable {
    let fullID: String
    let shortID: String
    /// `/q/<queue>/<id>`: requests go to the dest's host with this path, so a remote whose own
    /// config names it differently (`localhost`, an internal name) is still reached where the
    /// prep went.
    let path: String

    init?(fullID: String) {
        guard fullID.lowercased().hasPrefix("http://"), let queue = MessageID.queueName(from: fullID),
              let shortID = MessageID.embeddedShortID(in: fullID), MessageID.isValid(shortID) else { return nil }
        self.fullID = fullID
        self.shortID = shortID
        path = "/q/\(queue)/\(shortID)"
    }

    func url(on remote: RemoteQueueURL) -> String { remote.origin + path }
    func attachURL(on remote: RemoteQueueURL) -> String { url(on: remote) + "/attach/new" }
}
