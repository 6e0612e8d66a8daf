import ArgumentParser
import Foundation
import RQStore

/// Like the original `rq-install`: writes config/config.json and the default queues.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "install", abstract: "Create an installation: config, directories and the default queues.")

    @OptionGroup var root: RootOption
    @Option(help: "Host name used in full message ids.") var host: String = "127.0.0.1"
    @Option(help: "HTTP port (default 3333; written as a number unless given, like rq-install).") var port: Int?
    @Option(help: "HTTP listen address.") var addr: String = "127.0.0.1"
    @Option(help: "Environment name, exported to scripts as RQ_ENV.") var env: String = "development"
    @Option(help: "Temporary directory exported to scripts as TMPDIR.") var tmpdir: String = "/tmp"
    @Flag(inversion: .prefixedNo, help: "Allow queue creation over HTTP.") var allowNewQueue: Bool = true
    @Flag(help: "Overwrite an existing config.") var force: Bool = false

    func run() throws {
        do {
            try Installation.install(root: root.path, host: host, port: port, addr: addr, env: env,
                                     tmpdir: tmpdir, allowNewQueue: allowNewQueue, force: force)
        } catch {
            print(error.description)
            throw ExitCode(1)
        }
        print("RQ installed in \(root.path) (http://\(addr):\(port ?? 3333)/)")
    }
}
