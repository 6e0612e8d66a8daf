import ArgumentParser
import Foundation

/// `--root DIR`, shared by every subcommand; defaults to the current directory.
struct RootOption: ParsableArguments {
    @Option(name: .long, help: "Installation root (default: current directory).")
    var root: String?

    var path: String {
        let given = root ?? FileManager.default.currentDirectoryPath
        let url = URL(fileURLWithPath: given, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return url.standardizedFileURL.path
    }
}
