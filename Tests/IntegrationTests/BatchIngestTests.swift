import Foundation
import Testing

/// Batch ingest through the real server: NDJSON over HTTP and rq1 `create_messages`.
@Suite struct BatchIngestTests {
    @Test func ndjsonCreatesEveryGoodLineAndAnswersPerLineInOrder() throws {
        let s = try ServerFixture()
        try s.createQueue("hold", paused: true)
        let body = "{\"dest\":\"hold\",\"param1\":\"a\"}\nnot json\r\n[1,2]\n{\"dest\":\"hold\",\"param1\":\"b\"}\n"
        let r = try s.http("/q/hold/messages", ["-H", "Content-Type: application/x-ndjson", "--data-binary", body])
        #expect(r.status == 200)
        let results = try #require(parseJSON(r.body) as? [[String]])
        #expect(results.count == 4)
        #expect(results[1] == ["fail", "line 2 is not a JSON object"])
        #expect(results[2] == ["fail", "line 3 is not a JSON object"])
        for line in [0, 3] {
            #expect(results[line][0] == "ok")
            let id = shortID(results[line][1])
            let message = try #require(try s.messageJSON("hold", id))
            #expect(message["state"] as? String == "que")
            #expect(message["param1"] as? String == (line == 0 ? "a" : "b"))
        }
    }

    @Test func batchLimitsAnswerWithAClearErrorAndCreateNothing() throws {
        let s = try ServerFixture()
        try s.createQueue("hold", paused: true)
        let tooMany = String(repeating: "{\"dest\":\"hold\"}\n", count: 10_001)
        let path = s.root + "/batch.ndjson"
        try tooMany.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try s.http("/q/hold/messages", ["-H", "Content-Type: application/x-ndjson", "--data-binary", "@" + path])
        #expect(r.status == 400)
        #expect(r.body.contains("too many messages in one batch: 10001, at most 10000"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.root + "/queue/hold/que").isEmpty)
        let empty = try s.http("/q/hold/messages", ["-H", "Content-Type: application/x-ndjson", "--data-binary", ""])
        #expect(empty.status == 400 && empty.body.contains("empty batch"))
        #expect(try s.http("/q/nosuch/messages", ["--data-binary", "{}\n"]).status == 404)
    }

    @Test func rq1CreateMessagesTakesAJSONArray() throws {
        let s = try ServerFixture()
        try s.createQueue("hold", paused: true)
        let reply = try s.rq1("queue/hold/queue.sock", #"create_messages [{"dest":"hold"},7,{"dest":"hold"}]"#)
        let parsed = try #require(parseJSON(reply) as? [Any])
        #expect(parsed.first as? String == "ok")
        let results = try #require(parsed.last as? [[String]])
        #expect(results.map(\.first) == ["ok", "fail", "ok"])
        #expect(results[1] == ["fail", "element 2 is not a JSON object"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.root + "/queue/hold/que").count == 2)
        #expect(try s.rq1("queue/hold/queue.sock", #"create_messages {"dest":"hold"}"#)
                == #"["fail","create_messages takes a JSON array of message objects"]"#)
    }

    /// The disk fills in the middle of a batch: the lines that no longer fit fail with the
    /// reason, the others are stored whole, and after a SIGKILL exactly those are queued, once.
    @Test func aDiskThatFillsMidBatchFailsTheLinesThatDoNotFitAndKeepsTheRest() throws {
        guard let disk = try LoopDisk(megabytes: 16) else { return }
        defer { disk.remove() }
        let s = try ServerFixture(parent: disk.mountPoint)
        defer { s.stop(signal: SIGKILL) }
        try JournalCrashTests.configure(s, ["journal_segment_bytes": 64 << 10])
        try s.createQueue("hold", paused: true)
        // The journal's current segment exists and has room for the whole batch's records.
        let first = try s.postMessage("hold", #"{"dest":"hold"}"#)
        try #require(first.status == 200, "\(first)")
        // Each message takes two blocks (its directory and its msg): about eight fit.
        try disk.fill(leavingBytes: 64 << 10)
        let lines = (1...40).map { #"{"dest":"hold","param1":"\#($0)"}"# }.joined(separator: "\n") + "\n"
        let r = try s.http("/q/hold/messages", ["-H", "Content-Type: application/x-ndjson", "--data-binary", lines])
        try disk.unfill()
        #expect(r.status == 200, "\(r)")
        let results = try #require(parseJSON(r.body) as? [[String]], "\(r.body)")
        #expect(results.count == 40)
        let stored = results.filter { $0.first == "ok" }.map { shortID($0[1]) }
        let refused = results.filter { $0.first == "fail" }
        #expect(!stored.isEmpty && !refused.isEmpty, "\(results)")
        for line in refused { #expect(line.last?.contains("No space left on device") == true, "\(line)") }

        s.stop(signal: SIGKILL)
        try s.start()
        let places = JournalCrashTests.places(s.root, "hold")
        for id in stored { #expect(places[id] == ["que/" + id], "\(id) at \(places[id] ?? [])") }
        #expect(places.count == stored.count + 1, "\(places.count) messages for \(stored.count) stored + 1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.root + "/queue/hold/prep").isEmpty)
        #expect(!s.logText().contains("recovery: journal: bad record"))
    }
}
