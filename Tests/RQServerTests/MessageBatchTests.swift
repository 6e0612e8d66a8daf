import Testing
@testable import RQServer
import RQStore

@Suite struct MessageBatchTests {
    @Test func ndjsonLinesBecomeEntriesInOrder() throws {
        let entries = try MessageBatch.entries(ndjson: Array("{\"a\":1}\r\n\n{\"b\":2}".utf8)).get()
        #expect(entries.count == 3)
        #expect(try entries[0].get() == ["a": 1])
        #expect(throws: QueueError.refused("line 2 is not a JSON object")) { try entries[1].get() }
        #expect(try entries[2].get() == ["b": 2])
    }

    @Test func limitsAndEmptyBatchesAreRefused() {
        let lines = String(repeating: "{}\n", count: MessageBatch.maxMessages + 1)
        #expect(throws: QueueError.refused("too many messages in one batch: 10001, at most 10000")) {
            try MessageBatch.entries(ndjson: Array(lines.utf8)).get()
        }
        #expect(throws: QueueError.self) { try MessageBatch.entries(ndjson: Array("\n".utf8)).get() }
        #expect(throws: QueueError.self) { try MessageBatch.entries(jsonArray: "[]").get() }
        #expect((try? MessageBatch.entries(ndjson: Array(String(repeating: "{}\n", count: 10_000).utf8)).get())?.count == 10_000)
    }

    @Test func resultsEncodeAsOkOrFailPairs() {
        let json = MessageBatch.json([.success("http://h/q/x/1"), .failure(.refused("bad"))])
        #expect(json.compactString == #"[["ok","http://h/q/x/1"],["fail","bad"]]"#)
    }
}
