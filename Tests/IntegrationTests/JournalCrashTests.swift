import Foundation
import Testing

/// The write-ahead journal under crashes of the real server (SIGKILL), and replay of what a
/// crash of the machine would lose (directory writes never synced, removed here by hand).
@Suite(.serialized) struct JournalCrashTests {
    static let ingest = WorkerScripts.directory + "/ingest.py"

    /// Every directory each message of `queue` is in, relative to the queue.
    static func places(_ root: String, _ queue: String) -> [String: [String]] {
        var found: [String: [String]] = [:]
        let dir = root + "/queue/" + queue
        func list(_ path: String) -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: dir + "/" + path)) ?? [] }
        for state in ["prep", "que", "run", "err"] {
            for id in list(state) { found[id, default: []].append(state + "/" + id) }
        }
        for state in ["done", "relayed"] {
            for day in list(state) {
                for hour in list(state + "/" + day) {
                    for minute in list(state + "/" + day + "/" + hour) {
                        let parent = [state, day, hour, minute].joined(separator: "/")
                        for id in list(parent) { found[id, default: []].append(parent + "/" + id) }
                    }
                }
            }
        }
        return found
    }

    @Test func sigkillAtRandomPointsUnderLoadLosesNoAcknowledgedMessage() throws {
        let s = try ServerFixture()
        // Small segments: rotations happen under load too.
        try Self.configure(s, ["journal_segment_bytes": 256 << 10])
        try s.createQueue("hold", paused: true)
        try s.createQueue("work", script: WorkerScripts.job)
        var random = SystemRandomNumberGenerator()
        var acked: [(queue: String, id: String)] = []
        for round in 0..<50 {
            let client = Process()
            client.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            client.arguments = [Self.ingest, s.baseURL, "5", "hold:x", "hold:x", "work:done", "work:done"]
            let out = Pipe()
            client.standardOutput = out
            try client.run()
            // Under load: the first acknowledgements are in, more requests are in flight.
            let first = out.fileHandleForReading.availableData
            usleep(UInt32.random(in: 0...200_000, using: &random))
            s.stop(signal: SIGKILL)
            let lines = String(decoding: first + out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            client.waitUntilExit()
            acked += lines.split(separator: "\n").map { line in
                let fields = line.split(separator: " ")
                return (String(fields[0]), String(fields[1]))
            }
            try s.start()
            // Frozen, the restarted server (whose workers move messages) leaves a stable tree.
            let pid = try #require(s.process?.processIdentifier)
            kill(pid, SIGSTOP)
            defer { kill(pid, SIGCONT) }
            for queue in ["hold", "work"] {
                let places = Self.places(s.root, queue)
                for message in acked where message.queue == queue {
                    #expect(places[message.id]?.count == 1, "round \(round): \(queue)/\(message.id) at \(places[message.id] ?? [])")
                }
            }
        }
        #expect(acked.count >= 50)
        #expect(!s.logText().contains("recovery: journal: bad record"))
    }

    /// A machine crash loses directory writes that were never synced; the journal has them.
    @Test func replayRestoresDirectoryWritesACrashLost() throws {
        let s = try ServerFixture()
        try Self.neverCheckpoint(s)
        try s.createQueue("hold", paused: true)
        var ids: [String] = []
        for n in 0..<6 {
            let reply = try s.postMessage("hold", #"{"dest":"hold","param1":"p\#(n)"}"#)
            let full = try #require((parseJSON(reply.body) as? [String])?.last)
            ids.append(shortID(full))
        }
        let deleted = ids.removeLast()
        #expect(try s.rq1("queue/hold/queue.sock", "delete_message {\"msg_id\":\"\(deleted)\"}").contains("ok"))
        let que = s.root + "/queue/hold/que/"
        let kept = try String(contentsOfFile: que + ids[0] + "/msg", encoding: .utf8)
        s.stop(signal: SIGKILL)
        // Lost: two message directories, one commit (back in prep), and the delete.
        try FileManager.default.removeItem(atPath: que + ids[0])
        try FileManager.default.removeItem(atPath: que + ids[1])
        try FileManager.default.moveItem(atPath: que + ids[2], toPath: s.root + "/queue/hold/prep/" + ids[2])
        try FileManager.default.createDirectory(atPath: que + deleted, withIntermediateDirectories: true)
        try s.start()
        for id in ids {
            #expect(try s.messageJSON("hold", id)?["state"] as? String == "que", "\(id)")
        }
        #expect(try String(contentsOfFile: que + ids[0] + "/msg", encoding: .utf8) == kept)
        #expect(!FileManager.default.fileExists(atPath: que + deleted))
        #expect(s.logText().contains("record(s) replayed"))
    }

    @Test func aTornLastRecordIsDroppedAndACorruptMiddleRecordStopsReplay() throws {
        let s = try ServerFixture()
        try Self.neverCheckpoint(s)
        try s.createQueue("hold", paused: true)
        for n in 0..<3 { _ = try s.postMessage("hold", #"{"dest":"hold","param1":"p\#(n)"}"#) }
        s.stop(signal: SIGKILL)
        let segment = try Self.lastSegment(s.root)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: segment)))
        let end = Self.endOfRecords(bytes)
        // Torn: a header and half a payload of a write the crash cut short.
        bytes.replaceSubrange(end..<(end + 12), with: [40, 0, 0, 0, 1, 2, 3, 4, 0x7b, 0x22, 0x71, 0x22])
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        try s.start()
        #expect(s.logText().contains("torn last record"))
        #expect(try s.http("/").status == 200)
        #expect(try s.postMessage("hold", #"{"dest":"hold"}"#).status == 200)

        for n in 0..<3 { _ = try s.postMessage("hold", #"{"dest":"hold","param1":"q\#(n)"}"#) }
        s.stop(signal: SIGKILL)
        let second = try Self.lastSegment(s.root)
        var damaged = try [UInt8](Data(contentsOf: URL(fileURLWithPath: second)))
        damaged[8 + 4] ^= 0x01
        try Data(damaged).write(to: URL(fileURLWithPath: second))
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: s.root + "/queue/hold/que"))
        try s.start()
        #expect(s.logText().contains("journal: bad record at \(second):0; replay stopped there, journal kept aside"))
        let aside = try FileManager.default.contentsOfDirectory(atPath: s.root + "/journal").filter { $0.hasPrefix("corrupt-") }
        #expect(aside.count == 1)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: s.root + "/queue/hold/que")) == before)
        #expect(try s.postMessage("hold", #"{"dest":"hold"}"#).status == 200)
    }

    /// The disk fills between a message's directory writes and its journal record: the next
    /// segment cannot be made, so the reply says fail (nothing acknowledged that is not
    /// durable); once space is back the pending record is written ahead of newer ones, and
    /// after a SIGKILL every message is where its last answer put it, exactly once.
    @Test func aFullDiskWhileAppendingFailsTheReplyAndLosesNothing() throws {
        guard let disk = try LoopDisk(megabytes: 16) else { return }
        defer { disk.remove() }
        let s = try ServerFixture(parent: disk.mountPoint)
        defer { s.stop(signal: SIGKILL) }
        try Self.neverCheckpoint(s, also: ["journal_segment_bytes": 64 << 10])
        try s.createQueue("hold", paused: true)
        let body = #"{"dest":"hold","param1":"\#(String(repeating: "x", count: 3000))"}"#
        var acked: [String] = []
        // Until the spare segment is used up and the current one has no room for one more
        // record: the next message needs a new segment file.
        var lastEnd = 0
        var recordSize = 0
        for _ in 0..<100 {
            let reply = try s.postMessage("hold", body)
            try #require(reply.status == 200, "\(reply)")
            acked.append(shortID(try #require((parseJSON(reply.body) as? [String])?.last)))
            let segment = try Self.lastSegment(s.root)
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: segment)))
            let end = Self.endOfRecords(bytes)
            if end > lastEnd { recordSize = end - lastEnd }
            lastEnd = end
            let spare = FileManager.default.fileExists(atPath: s.root + "/journal/spare.seg.new")
            if !spare, recordSize > 0, bytes.count - end < recordSize { break }
        }
        // Room for the message's directory and msg (two blocks), not for a 64 KiB segment.
        try disk.fill(leavingBytes: 24 << 10)
        let failed = try s.postMessage("hold", body)
        try disk.unfill()
        #expect(failed.status == 500, "\(failed)")
        #expect((parseJSON(failed.body) as? [String: Any])?["error"] as? String == "500 - could not sync to disk", "\(failed.body)")
        #expect(s.logText().contains("fsync failed, acknowledgements withheld"), "\(s.logText().suffix(2000))")

        let after = try s.postMessage("hold", body)
        #expect(after.status == 200, "\(after)")
        acked.append(shortID(try #require((parseJSON(after.body) as? [String])?.last)))
        s.stop(signal: SIGKILL)
        try s.start()
        let places = Self.places(s.root, "hold")
        for id in acked { #expect(places[id] == ["que/" + id], "\(id) at \(places[id] ?? [])") }
        // The refused message's directory was written before its record; the record became
        // durable with the next flush, so it is queued too (at least once, never half).
        #expect(places.count == acked.count + 1, "\(places.count) messages for \(acked.count) acknowledged + 1 refused")
        #expect(places.values.allSatisfy { $0.count == 1 && $0[0].hasPrefix("que/") }, "\(places)")
        #expect(!s.logText().contains("recovery: journal: bad record"))
    }

    @Test func fsyncModeWritesNoJournalAndABadModeStopsTheStart() throws {
        let s = try ServerFixture()
        try Self.configure(s, ["durability": "fsync"])
        try? FileManager.default.removeItem(atPath: s.root + "/journal")
        try s.restart()
        try s.createQueue("hold", paused: true)
        #expect(try s.postMessage("hold", #"{"dest":"hold"}"#).status == 200)
        #expect(!FileManager.default.fileExists(atPath: s.root + "/journal"))
        #expect(throws: FixtureError.self) { try Self.configure(s, ["durability": "sometimes"]) }
        #expect(s.logText().contains(#"Bad 'durability' in config json ["sometimes"]: journal or fsync"#))
    }

    /// Checkpoints off (and `also` set), so every record stays in the segments.
    static func neverCheckpoint(_ s: ServerFixture, also settings: [String: Any] = [:]) throws {
        try configure(s, settings.merging(["journal_checkpoint_seconds": 3600, "journal_checkpoint_bytes": 1 << 30]) { $1 })
    }

    /// Adds `settings` to the root config and restarts the server.
    static func configure(_ s: ServerFixture, _ settings: [String: Any]) throws {
        let path = s.root + "/config/config.json"
        var config = try #require(parseJSON(try String(contentsOfFile: path, encoding: .utf8)) as? [String: Any])
        config.merge(settings) { $1 }
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: path))
        try s.restart()
    }

    static func lastSegment(_ root: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: root + "/journal").filter { $0.hasSuffix(".seg") }.sorted()
        return root + "/journal/" + (try #require(names.last))
    }

    /// Offset of the first zero length header.
    static func endOfRecords(_ bytes: [UInt8]) -> Int {
        var offset = 0
        while true {
            let length = (0..<4).reduce(0) { $0 | Int(bytes[offset + $1]) << ($1 * 8) }
            if length == 0 { return offset }
            offset += 8 + length
        }
    }
}
