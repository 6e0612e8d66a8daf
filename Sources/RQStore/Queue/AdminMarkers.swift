import Foundation

/// The admin marker files of one installation. Operators touch and remove them by hand, so the
/// status is re-read (two stats) on every query instead of being cached.
public struct AdminMarkers: Sendable {
    public let configDirectory: String

    public init(root: String) { configDirectory = root + "/config" }

    public enum Marker: String, Sendable {
        case down
        case pause
    }

    public func path(_ marker: Marker, queue: String) -> String {
        configDirectory + "/" + queue + "." + marker.rawValue
    }

    /// `.down` wins over `.pause`.
    public func status(queue: String) -> AdminStatus {
        if FileOps.exists(path(.down, queue: queue)) { return .down }
        if FileOps.exists(path(.pause, queue: queue)) { return .pause }
        return .up
    }

    /// Creates the marker (an existing one is fine).
    public func set(_ marker: Marker, queue: String) throws(FileError) {
        let file = path(marker, queue: queue)
        let fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError("open", file) }
        close(fd)
    }

    /// Removes the marker (a missing one is fine).
    public func clear(_ marker: Marker, queue: String) throws(FileError) {
        try FileOps.unlinkIfPresent(path(marker, queue: queue))
    }
}
