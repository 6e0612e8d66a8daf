import Foundation

/// `timers/`: one `<name>.json` per timer (a file or a symlink to one), and `.state.json`, the
/// last grid point of every timer so a restart neither repeats nor forgets a period.
public struct TimerDirectory {
    public let path: String
    static let stateName = ".state.json"
    /// A timer definition is a few lines; anything near this is not one.
    static let maxDefinitionSize = 64 * 1024

    public init(root: String) { path = root + "/timers" }

    /// A timer file that could not be read (the reason is for the log).
    public struct Unreadable: Equatable, Sendable {
        public let name: String
        public let reason: String
    }

    /// Timer name → file content, for every `<valid queue-like name>.json` (exactly one dot,
    /// as the original required); other names (`.state.json`, editors' backups) are ignored.
    public func definitions() -> (files: [String: [UInt8]], unreadable: [Unreadable]) {
        var files: [String: [UInt8]] = [:]
        var unreadable: [Unreadable] = []
        for entry in FileOps.listIfPresent(path) {
            guard let name = Self.timerName(entry) else { continue }
            do {
                files[name] = try FileOps.readRegularFile(path + "/" + entry, maxSize: Self.maxDefinitionSize)
            } catch {
                unreadable.append(Unreadable(name: name, reason: error.description))
            }
        }
        return (files, unreadable)
    }

    static func timerName(_ entry: String) -> String? {
        guard entry.hasSuffix(".json"), entry.filter({ $0 == "." }).count == 1 else { return nil }
        let name = String(entry.dropLast(5))
        return QueueName.isValid(name) ? name : nil
    }

    /// Timer name → last grid point (epoch seconds); empty when absent or unreadable.
    public func loadState() -> [String: Double] {
        guard let bytes = try? FileOps.readRegularFile(path + "/" + Self.stateName, maxSize: 1 << 20),
              let object = (try? JSONValue.parse(bytes))?.objectValue else { return [:] }
        var state: [String: Double] = [:]
        for (name, value) in object { if let last = value.numberValue { state[name] = last } }
        return state
    }

    public func saveState(_ state: [String: Double]) throws(FileError) {
        var object = JSONObject()
        for name in state.keys.sorted() { object[name] = .number(state[name]!) }
        try FileOps.writeAtomically(directory: path, name: Self.stateName, tmpName: Self.stateName + ".tmp",
                                    JSONValue.object(object).compactBytes)
    }
}
