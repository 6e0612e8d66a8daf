import RQStore

/// Optional `config/config.json` key for the periodic services: `"scan_interval"`, seconds
/// between two looks at `timers/` and `scandir/` (default 5; the original used 60 and 15).
/// Timers still fire at their due second; this only bounds how soon an edit is noticed.
struct PeriodicSettings: Equatable {
    static let defaultScanInterval = 5.0
    var scanInterval = defaultScanInterval

    init(_ config: RootConfig) {
        if let value = config.otherKeys["scan_interval"]?.numberValue ?? config.otherKeys["scan_interval"]?.stringValue.flatMap(Double.init),
           value > 0, value.isFinite {
            scanInterval = max(0.05, value)
        }
    }
}
