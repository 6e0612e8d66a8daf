import Foundation
import Testing

/// The store-and-forward guarantee under crashes (README "Relay guarantee"): a message is
/// never lost, and exists on the receiver at most twice (the documented window: the remote
/// committed, our side died before it recorded `relayed`).
@Suite(.serialized) struct RelayReliabilityTests {
    /// 20 rounds: queue messages on A, SIGKILL the receiver B at a random point of the
    /// conversation, restart it, SIGKILL the sender A, restart it. Then every message must
    /// arrive, at most twice.
    @Test func killingReceiverAndSenderNeverLosesAMessage() throws {
        let a = try ServerFixture()
        try a.configureQueue("relay", numWorkers: 2)
        let b = try ServerFixture()
        try b.createDoneQueue("test", paused: true)
        var random = SystemRandomNumberGenerator()
        var sent: [String] = []
        let payload = a.root + "/payload.bin"
        FileManager.default.createFile(atPath: payload, contents: Data(repeating: 7, count: 256 << 10))
        for round in 0..<20 {
            for n in 0..<3 {
                if (round + n) % 3 == 0 {
                    let prep = try a.rq(["prepmesg", "--dest", "\(b.baseURL)/q/test", "--relay-ok", "--max_count", "100000"])
                    let id = String(prep.out.split(separator: " ").last ?? "")
                    _ = try a.rq(["attachmesg", "--msg_id", id, "--pathname", payload])
                    _ = try a.rq(["commitmesg", "--msg_id", id])
                    sent.append(id)
                } else {
                    sent.append(try a.sendRelayed(to: "\(b.baseURL)/q/test", ["--max_count", "100000"]))
                }
            }
            usleep(UInt32.random(in: 0...60_000, using: &random))
            try b.restart(signal: SIGKILL)
            usleep(UInt32.random(in: 0...60_000, using: &random))
            try a.restart(signal: SIGKILL)
        }
        var missing: [String] = []
        WorkerTests.waitUntil(timeout: 60, "all relayed") {
            missing = sent.filter { !a.statusOf($0).hasPrefix("ok relayed") }
            return missing.isEmpty
        }
        #expect(missing.isEmpty, "not relayed: \(missing.map { a.statusOf($0) })")
        // Committed copies on B (paused, so they stay in que/), by the sender's orig_msg_id;
        // preps left by killed conversations are not deliveries (the receiver's cleaner
        // removes them).
        var copies: [String: Int] = [:]
        for message in b.allMessages("test", states: ["que"]) {
            copies[message["orig_msg_id"] as? String ?? "", default: 0] += 1
        }
        for id in sent {
            let orig = try #require(try a.messageJSON("relay", shortID(id)))["orig_msg_id"] as? String ?? "?"
            #expect((1...2).contains(copies[orig] ?? 0), "\(id) arrived \(copies[orig] ?? 0) times")
        }
    }

    /// A → B → C, with B down for a while: messages wait on A and reach C when B returns.
    @Test func chainWithTheMiddleHostDown() throws {
        let a = try ServerFixture()
        try a.configureQueue("relay", retryBase: 1)
        let b = try ServerFixture()
        try b.configureQueue("relay")
        let c = try ServerFixture()
        try c.createDoneQueue("test")
        try b.createWorkerQueue("fwd", script: WorkerScripts.job)
        b.stop()
        let ids = try (0..<3).map { n in
            try a.rq(["sendmesg", "--dest", "\(b.baseURL)/q/fwd", "--relay-ok", "--param1", "dup",
                      "--param2", "\(c.baseURL)/q/test", "--param3", "\(b.root)/reply\(n)"]).out
        }.map { String($0.split(separator: " ").last ?? "") }
        WorkerTests.waitUntil(timeout: 20, "A retried") { ids.allSatisfy { a.relayLog($0).contains("Could not connect") } }
        #expect(ids.allSatisfy { !a.statusOf($0).hasPrefix("ok relayed") })
        try b.start()
        for id in ids { #expect(a.waitRelayed(id, timeout: 30) != nil) }
        WorkerTests.waitUntil(timeout: 30, "three messages on C") { c.allMessages("test").count == 3 }
    }
}
