import ArgumentParser
import Foundation
import RQStore

/// `--root DIR`, shared by every subcommand; defaults to the current directory.
struct RootOption: ParsableArguments {
    @Option(name: .long, help: "Installation root (default: current directory).")
    var root: String?

    var path: String {
        let given = root ?? FileManager.default.currentDirectoryPath
        let url = URL(fileURLWithPath: given, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return url.standardizedFileURL.path
    }

    var isInstalled: Bool { FileManager.default.fileExists(atPath: RootConfig.path(root: path)) }

    /// `start`/`run` on a directory without an installation: say how to make one instead of
    /// failing later on a missing config file.
    func requireInstallation() throws {
        guard !isInstalled else { return }
        FileHandle.standardError.write(Data("""
            rq-server: no RQ installation in \(path) (config/config.json is missing).
            Create one with `rq-server install --root \(path) [--port N]`,
            or install and run at once with `rq-server run --root \(path) --install [--port N]`.

            """.utf8))
        throw ExitCode(1)
    }
}
