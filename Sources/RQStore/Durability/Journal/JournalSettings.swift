/// Journal tuning, from the root config (`config/config.json`): `"durability": "fsync"` turns the
/// journal off (every acknowledged change fsyncs its files and directories, as before the
/// journal); `journal_segment_bytes`, `journal_checkpoint_bytes` and `journal_checkpoint_seconds` tune it.
public struct JournalSettings: Equatable, Sendable {
    /// Segment files are preallocated to this size (a batch larger than it gets a segment of
    /// its own size).
    public var segmentBytes = 8 << 20
    /// A checkpoint starts once this many record bytes were written since the last one…
    public var checkpointBytes = 1 << 20
    /// …or this many seconds after the first record written since the last one.
    public var checkpointInterval = 1.0

    public init() {}

    public enum Mode: String, Sendable {
        case journal
        case fsync
    }

    /// The mode and settings, or a clear problem with the config.
    public static func from(_ config: RootConfig) -> Result<(Mode, JournalSettings), JournalSettingsProblem> {
        var settings = JournalSettings()
        let keys = config.otherKeys
        var mode = Mode.journal
        if let value = keys["durability"] {
            guard let text = value.stringValue, let parsed = Mode(rawValue: text) else {
                return .failure(JournalSettingsProblem("Bad 'durability' in config json [\(value.compactString)]: journal or fsync"))
            }
            mode = parsed
        }
        for (key, minimum) in [("journal_segment_bytes", 64 << 10), ("journal_checkpoint_bytes", 1), ("journal_checkpoint_seconds", 0)] {
            guard let value = keys[key] else { continue }
            guard let number = value.numberValue, number >= Double(minimum), number <= Double(1 << 40),
                  key == "journal_checkpoint_seconds" || number == number.rounded() else {
                return .failure(JournalSettingsProblem("Bad '\(key)' in config json [\(value.compactString)]: a number, at least \(minimum)"))
            }
            switch key {
            case "journal_segment_bytes": settings.segmentBytes = Int(number)
            case "journal_checkpoint_bytes": settings.checkpointBytes = Int(number)
            default: settings.checkpointInterval = number
            }
        }
        return .success((mode, settings))
    }
}

public struct JournalSettingsProblem: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
