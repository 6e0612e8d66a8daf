internal import CEvent
internal import CHTTPParser
/// Version of libevent linked in, for logs and `--version`.
public func libeventVersion() -> String { String(cString: event_get_version()) }
