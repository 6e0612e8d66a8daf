import Foundation
import Testing

/// Runs the byte-exact CLI protocol test (`Tests/cli/test_cli.sh`, against a scripted mock
/// rq1 server) so `swift test` covers it.
@Test func cliProtocolScript() throws {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("cli/test_cli.sh").path
    let result = try Command.run("/bin/bash", [script, Binaries.cli])
    let summary = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
    #expect(result.status == 0, "\(result.stdout.suffix(3000))\n\(result.stderr.suffix(2000))")
    #expect(summary.hasSuffix(" 0 failed"), "\(summary)")
}
