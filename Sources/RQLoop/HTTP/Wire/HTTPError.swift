/// A request the session itself refuses: answered with `{"error": message}` and a close.
struct HTTPError: Error, Equatable {
    var status: Int
    var message: String

    static func badRequest(_ message: String) -> HTTPError { HTTPError(status: 400, message: message) }
    static func tooLarge(_ message: String) -> HTTPError { HTTPError(status: 413, message: message) }
    static func headersTooLarge(_ message: String) -> HTTPError { HTTPError(status: 431, message: message) }
    static func storage(_ message: String) -> HTTPError { HTTPError(status: 500, message: message) }
}
