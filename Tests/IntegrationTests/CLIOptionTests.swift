import Foundation
import Testing

/// The `rq` CLI's checks of its options, against the real server: what it refuses never
/// reaches the queue, what it converts is stored as meant.
@Suite struct CLIOptionTests {
    @Test func aMistypedOptionOrABadDueCreatesNothing() throws {
        let s = try ServerFixture()
        try s.createQueue("typo", paused: true)
        let typo = try s.rq(["sendmesg", "--dest", "typo", "--parm1", "x"])
        #expect(typo.status == 1)
        #expect(typo.stdout == "fail Unknown option --parm1 (see rq sendmesg --help)\n")
        let due = try s.rq(["sendmesg", "--dest", "typo", "--due", "tomorrow"])
        #expect(due.status == 1)
        #expect(due.stdout.hasPrefix("fail --due tomorrow is not a time"), "\(due.stdout)")
        let counts = try s.rq1("queue/typo/queue.sock", "num_messages {}")
        #expect(counts == #"{"prep":0,"que":0,"run":0,"done":0,"relayed":0,"err":0}"#)
    }

    @Test func aDueDateIsStoredAsSeconds() throws {
        let s = try ServerFixture()
        try s.createQueue("later", paused: true)
        let sent = try s.rq(["sendmesg", "--dest", "later", "--due", "2030-01-01T00:00:00Z", "--param1", "p"])
        #expect(sent.status == 0, "\(sent.stdout)")
        let id = shortID(sent.out)
        let message = try #require(try s.messageJSON("later", id))
        #expect(message["due"] as? Int == 1_893_456_000)
        #expect(message["param1"] as? String == "p")
        #expect(try s.rq(["state", "--msg_id", sent.out.replacingOccurrences(of: "ok ", with: "")]).out == "ok que")
    }

    @Test func aRootWithoutInstallationIsNamed() throws {
        let dir = try TempRoot()
        let r = try Command.run(Binaries.cli, ["sendmesg", "--dest", "x", "--root", dir.path], cwd: dir.path)
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("fail no RQ installation at \(dir.path) (no config/config.json)"), "\(r.stdout)")
    }
}
