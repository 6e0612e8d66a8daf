import Foundation

// `rq`: the message client of an RQ installation (cli.md §5.1). See CommandLineRun.
let result = CommandLineRun(
    environment: ProcessInfo.processInfo.environment,
    currentDirectory: FileManager.default.currentDirectoryPath
).run(Array(CommandLine.arguments.dropFirst()))
try? FileHandle.standardOutput.write(contentsOf: Data(result.stdout.utf8))
try? FileHandle.standardError.write(contentsOf: Data(result.stderr.utf8))
exit(result.exitStatus)
