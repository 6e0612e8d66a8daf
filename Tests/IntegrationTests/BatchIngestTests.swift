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
}
