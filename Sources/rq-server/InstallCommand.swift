import ArgumentParser
import Foundation
import RQStore

/// The settings an installation is created with, shared by `install` and `run --install`.
struct InstallOptions: ParsableArguments {
    @Option(help: "Host name used in full message ids (default 127.0.0.1).") var host: String?
    @Option(help: "HTTP port (default 3333; written as a number unless given, like rq-install).") var port: Int?
    @Option(help: "HTTP listen address (default 127.0.0.1).") var addr: String?
    @Option(help: "Environment name, exported to scripts as RQ_ENV (default development).") var env: String?
    @Option(help: "Temporary directory exported to scripts as TMPDIR (default /tmp).") var tmpdir: String?
    @Flag(inversion: .prefixedNo, help: "Allow queue creation over HTTP.") var allowNewQueue: Bool = true

    /// The options given on the command line, for `run` to refuse them without `--install`.
    var given: [String] {
        [("--host", host != nil), ("--port", port != nil), ("--addr", addr != nil), ("--env", env != nil),
         ("--tmpdir", tmpdir != nil), ("--no-allow-new-queue", !allowNewQueue)].filter(\.1).map(\.0)
    }

    /// Installs into `root`; prints the error (e.g. `Already installed`) and exits 1 on failure.
    func install(root: String, force: Bool) throws {
        let config: RootConfig
        do {
            config = try Installation.install(root: root, host: host, port: port, addr: addr, env: env,
                                              tmpdir: tmpdir, allowNewQueue: allowNewQueue, force: force)
        } catch {
            print(error.description)
            throw ExitCode(1)
        }
        // Unbuffered: `run --install` keeps running, and a buffered line would show only at exit.
        FileHandle.standardOutput.write(Data("RQ installed in \(root) (http://\(config.addr):\(config.port)/)\n".utf8))

    }
}

/// Like the original `rq-install`: writes config/config.json and the default queues.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "install", abstract: "Create an installation: config, directories and the default queues.")

    @OptionGroup var root: RootOption
    @OptionGroup var options: InstallOptions
    @Flag(help: "Overwrite an existing config.") var force: Bool = false

    func run() throws {
        try options.install(root: root.path, force: force)
    }
}
