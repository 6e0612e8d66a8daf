import Foundation
import Testing

extension WorkerTests {
    /// Which queued message runs when (README §3 "Scheduling", worker-protocol.md §6.6–6.8).
    @Suite struct Scheduling {
        /// Start and end times one `timeline` run recorded (first line of each file).
        struct Interval {
            let start: Double
            let end: Double
            func overlaps(_ other: Interval) -> Bool { start < other.end && other.start < end }
        }

        static func interval(_ dir: String, _ id: String) -> Interval? {
            guard let start = WorkerTests.stamps("\(dir)/\(id).start").first,
                  let end = WorkerTests.stamps("\(dir)/\(id).end").first else { return nil }
            return Interval(start: start, end: end)
        }

        @Test func fourWorkersRunInParallel() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wpar", script: WorkerScripts.job, workers: 4, paused: true)
            let dir = try s.scratchDirectory("par")
            var ids: [String] = []
            for _ in 0..<4 {
                ids.append(shortID(try s.sendWorkerMessage("wpar", ["param1": "timeline", "param2": dir, "param3": "1"])))
            }
            let started = Date()
            try s.resumeQueue("wpar")
            guard waitUntil(timeout: 8, "all four done", { ids.allSatisfy { s.workerState("wpar", $0) == "done" } }) else { return }
            let elapsed = Date().timeIntervalSince(started)
            #expect(elapsed < 3, "4 × 1 s took \(elapsed) s")
            let intervals = ids.compactMap { Self.interval(dir, $0) }
            #expect(intervals.count == 4)
            // All four were running at one moment: every start precedes every end.
            if let lastStart = intervals.map(\.start).max(), let firstEnd = intervals.map(\.end).min() {
                #expect(lastStart < firstEnd, "\(intervals)")
            }
        }

        @Test func blockingParamsNeverOverlap() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wblock", script: WorkerScripts.job, workers: 2, paused: true, extra: ",\"blocking_params\":[4]")
            let dir = try s.scratchDirectory("block")
            let now = Int(WorkerTests.now())
            // Past due times fix the order: a, then b (blocked by a), then c.
            func send(_ param4: String, due: Int) throws -> String {
                shortID(try s.sendWorkerMessage("wblock", ["param1": "timeline", "param2": dir, "param3": "1", "param4": param4, "due": due]))
            }
            let a = try send("same", due: now - 30)
            let b = try send("same", due: now - 20)
            let c = try send("different", due: now - 10)
            try s.resumeQueue("wblock")
            guard waitUntil(timeout: 8, "all done", { [a, b, c].allSatisfy { s.workerState("wblock", $0) == "done" } }) else { return }
            guard let ia = Self.interval(dir, a), let ib = Self.interval(dir, b), let ic = Self.interval(dir, c) else {
                Issue.record("missing timeline files")
                return
            }
            #expect(!ia.overlaps(ib), "equal param4 overlapped: \(ia) \(ib)")
            #expect(ia.end <= ib.start, "b ran before a: \(ia) \(ib)")
            // c was not held back by the block: it ran beside a on the second worker.
            #expect(ic.overlaps(ia), "c waited: \(ia) \(ic)")
        }

        @Test func coalesceParamsFoldQueuedDuplicates() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wcoal", script: WorkerScripts.job, paused: true, extra: ",\"coalesce_params\":[4]")
            let runs = try s.scratchDirectory("coal") + "/runs"
            let now = Int(WorkerTests.now())
            func send(_ param4: String, due: Int) throws -> String {
                try s.sendWorkerMessage("wcoal", ["param1": "record", "param2": runs, "param4": param4, "due": due])
            }
            // An overdue starter absorbs equal-param4 messages whatever their due time.
            let starter = try send("k", due: now - 10)
            let laterA = try send("k", due: now + 3600)
            let laterB = try send("k", due: now + 3600)
            let other = try send("other", due: now - 5)
            let all = [starter, laterA, laterB, other].map(shortID)
            try s.resumeQueue("wcoal")
            guard waitUntil(timeout: 8, "all done", { all.allSatisfy { s.workerState("wcoal", $0) == "done" } }) else { return }

            #expect(s.workerStatus("wcoal", shortID(starter)) == "done - recorded")
            #expect(s.workerStatus("wcoal", shortID(other)) == "done - recorded")
            for dup in [laterA, laterB] {
                #expect(s.workerStatus("wcoal", shortID(dup)) == "done - duplicate \(starter)")
                #expect(try s.rq(["statusmesg", "--msg_id", dup]).out == "ok done - duplicate \(starter)")
                #expect(try s.messageJSON("wcoal", shortID(dup))?["dup"] as? String == starter)
                let dirs = s.stateDirectories("wcoal", shortID(dup))
                #expect(dirs.count == 1 && dirs.first?.hasPrefix("done/") == true, "\(dirs)")
            }
            let dups = try s.messageJSON("wcoal", shortID(starter))?["dups"] as? [String] ?? []
            #expect(dups.sorted() == [laterA, laterB].sorted(), "\(dups)")
            // Only the starter and the other message ran the script.
            let ran = (WorkerTests.readText(runs) ?? "").split(separator: "\n").map(String.init)
            #expect(ran == [shortID(starter), shortID(other)], "\(ran)")
        }

        @Test func runNowStartsAFutureMessage() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("wnow", script: WorkerScripts.job)
            let due = Int(WorkerTests.now()) + 3600
            let sent = try s.rq(["sendmesg", "--dest", "wnow", "--param1", "done", "--due", String(due)])
            #expect(sent.status == 0, "\(sent.out)")
            let id = shortID(String(sent.out.dropFirst(3)))
            usleep(300_000)
            #expect(s.workerState("wnow", id) == "que")
            #expect(try s.messageJSON("wnow", id)?["due"] as? Int == due)
            let r = try s.http("/q/wnow/\(id)/run_now", ["--data", ""])
            #expect(r.status == 303, "\(r.status) \(r.body)")
            guard waitUntil(timeout: 8, "done", { s.workerState("wnow", id) == "done" }) else { return }
            #expect(s.workerStatus("wnow", id) == "done - finished ok")
        }
    }
}
