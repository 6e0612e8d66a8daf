import Foundation
import RQStore

/// Where the RQ installation lives, and how the CLI finds a queue's socket in it.
///
/// The original `bin/rq` derived the root from its own path (`bin/..`). Ours is built into
/// `.build/<config>/rq`, where that would point into the build directory, so the root is, in
/// order: the `--root DIR` option (anywhere on the command line), the `RQ_ROOT` environment
/// variable, the current directory (how the tests call `./bin/rq` from `$RQ_ROOT`).
struct Installation {
    let root: String

    /// Takes `--root DIR` / `--root=DIR` out of `arguments` (so it may stand before the command)
    /// and returns the remaining arguments with the chosen installation.
    static func extract(
        from arguments: [String], environment: [String: String]
    ) throws(CLIFailure) -> (Installation, [String]) {
        var rest: [String] = []
        var root: String?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument.hasPrefix("--root=") {
                root = String(argument.dropFirst("--root=".count))
            } else if argument == "--root" {
                guard index < arguments.count, !arguments[index].contains("--") else {
                    throw CLIFailure("--root needs a directory")
                }
                root = arguments[index]
                index += 1
            } else {
                rest.append(argument)
            }
        }
        // A relative "." keeps socket paths short (sockaddr_un holds only 108 bytes).
        let chosen = root ?? environment["RQ_ROOT"].flatMap { $0.isEmpty ? nil : $0 } ?? "."
        return (Installation(root: chosen), rest)
    }

    /// `queue/<name>` must exist, as the original client checked (`Queue not found`). Names
    /// outside the queue-name grammar are refused the same way: the server never opens such a
    /// queue, and none of them (no `/`, no leading `.`) can leave the queue directory.
    func queueDirectory(_ name: String) throws(CLIFailure) -> String {
        try checkInstalled()
        let notFound = CLIFailure("Queue not found")
        guard QueueName.isValid(name) else { throw notFound }
        let path = root + "/queue/" + name
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw notFound
        }
        return path
    }

    /// A root without `config/config.json` is no installation at all (a wrong `--root`, or
    /// `rq` run outside the root without `$RQ_ROOT`): saying so beats `Queue not found`.
    func checkInstalled() throws(CLIFailure) {
        guard !FileManager.default.fileExists(atPath: root + "/config/config.json") else { return }
        let shown = URL(fileURLWithPath: root).standardizedFileURL.path
        throw CLIFailure("no RQ installation at \(shown) (no config/config.json): "
            + "give --root DIR or set RQ_ROOT, or create one with rq-server install --root DIR")
    }

    /// A client for the existing queue `name`'s `queue.sock`.
    func queueClient(_ name: String) throws(CLIFailure) -> QueueSocketClient {
        QueueSocketClient(queue: name, socketPath: try queueDirectory(name) + "/queue.sock")
    }
}
