import Foundation
import Testing

extension WorkerTests {
    /// Worker failure modes found in operation (issue 11): a full disk, dup floods, replies
    /// on a full pipe, what a script leaves behind.
    @Suite struct Hardening {
        /// A queue on a full disk must not wedge: no half-started message, and it carries on
        /// by itself once space is back; the log does not get a line per failed write.
        @Test func aFullDiskDoesNotWedgeTheQueue() throws {
            guard let disk = try LoopDisk(megabytes: 16) else { return }
            defer { disk.remove() }
            let s = try ServerFixture(parent: disk.mountPoint)
            defer { s.stop(signal: SIGKILL) }
            try s.createWorkerQueue("full", script: WorkerScripts.job, paused: true)
            let ids = try (1...3).map { _ in shortID(try s.sendWorkerMessage("full", ["param1": "done"])) }
            let linesBefore = s.logText().split(separator: "\n").count

            try disk.fill()
            try s.resumeQueue("full")
            sleep(3)
            let whileFull = s.logText().split(separator: "\n").count - linesBefore
            // The disk really was full when the queue tried to start them.
            #expect(s.logText().contains("No space left on device"), "\(s.logText().suffix(2000))")
            #expect(ids.allSatisfy { s.workerState("full", $0) == "que" })
            try disk.unfill()

            guard waitUntil(timeout: 15, "all three done once space is back", {
                ids.allSatisfy { s.workerState("full", $0) == "done" }
            }) else {
                Issue.record("log: \(s.logText().suffix(3000))")
                return
            }
            for id in ids { #expect(s.stateDirectories("full", id).count == 1, "\(s.stateDirectories("full", id))") }
            #expect(whileFull < 40, "\(whileFull) log lines in 3 s of a full disk: \(s.logText().split(separator: "\n").suffix(whileFull).prefix(12).joined(separator: "\n"))")
        }

        /// Thousands of `dup` lines waiting in the status pipe are handled a slice per loop turn:
        /// the web page answers while they are being copied (it waited for all of them before,
        /// about 5 s for these 6,000 on the 2-core test machine).
        @Test func aDupFloodDoesNotFreezeTheServer() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("flood", script: WorkerScripts.job)
            try s.createWorkerQueue("sink", script: WorkerScripts.job, paused: true)
            let count = 6000
            let id = shortID(try s.sendWorkerMessage("flood", ["param1": "dupflood", "param2": "sink", "param3": String(count)]))
            guard waitUntil(timeout: 10, "copies appear", { sinkCount(s) > 0 }) else { return }
            var slowest = 0.0
            let deadline = Date().addingTimeInterval(120)
            while sinkCount(s) < count, Date() < deadline {
                let started = Date()
                #expect(try s.http("/").status == 200)
                slowest = max(slowest, Date().timeIntervalSince(started))
                usleep(20_000)
            }
            #expect(slowest < 2.0, "GET / took \(slowest) s during the flood")
            #expect(sinkCount(s) == count)
            waitUntil(timeout: 10, "done", { s.workerStatus("flood", id) == "done - flooded" })
        }

        /// Replies that do not fit into the pipe wait for the script to read them, in order.
        @Test func everyDupReplyArrives() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("asker", script: WorkerScripts.job)
            try s.createWorkerQueue("sink2", script: WorkerScripts.job, paused: true)
            let replies = try s.scratchDirectory("replies") + "/all"
            let id = shortID(try s.sendWorkerMessage("asker", [
                "param1": "dupreplies", "param2": "sink2", "param3": "2000", "param4": replies,
            ]))
            guard waitUntil(timeout: 60, "done", { s.workerState("asker", id) == "done" }) else { return }
            #expect(s.workerStatus("asker", id) == "done - read 2000 replies")
            let lines = (WorkerTests.readText(replies) ?? "").split(separator: "\n").map(String.init)
            #expect(lines.count == 2000)
            let prefix = "ok \(s.baseURL)/q/sink2/"
            #expect(lines.allSatisfy { $0.hasPrefix(prefix) })
            let copies = Set(lines.map { String($0.dropFirst(prefix.count)) })
            let queued = try FileManager.default.contentsOfDirectory(atPath: s.root + "/queue/sink2/que")
            let missing = copies.subtracting(queued)
            #expect(copies.count == 2000 && missing.isEmpty, "\(copies.count) distinct replies, \(missing.count) not in sink2/que")
        }

        /// What a finished script leaves running, in its process group or escaped with
        /// `setsid`, is ended with it.
        @Test func aFinishedScriptsChildrenEndWithIt() throws {
            let s = try ServerFixture()
            try s.createWorkerQueue("parent", script: WorkerScripts.job)
            let scratch = try s.scratchDirectory("leftovers")
            let id = shortID(try s.sendWorkerMessage("parent", ["param1": "leftovers", "param2": scratch]))
            guard waitUntil(timeout: 8, "done", { s.workerState("parent", id) == "done" }) else { return }
            let pids = ["group", "escaped"].compactMap { WorkerTests.readText(scratch + "/" + $0).flatMap { Int32($0) } }
            #expect(pids.count == 2)
            defer { pids.forEach { kill($0, SIGKILL) } }
            waitUntil(timeout: 5, "leftover children ended", { pids.allSatisfy { !isAlive($0) } })
        }

        private func sinkCount(_ s: ServerFixture) -> Int {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: s.root + "/queue/sink/que")) ?? []
            return names.filter { !$0.hasPrefix(".") }.count
        }

        /// Alive and not a zombie.
        private func isAlive(_ pid: Int32) -> Bool {
            guard kill(pid, 0) == 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            return !stat[close...].hasPrefix(") Z")
        }
    }
}

/// A small ext4 file system on a loop device, for tests that fill a disk. Needs root and a
/// kernel that lets this process mount; nil (and the test skipped with a message) otherwise.
struct LoopDisk {
    let image: String
    let mountPoint: String

    init?(megabytes: Int) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("rq-disk-\(UUID().uuidString.prefix(8))").path
        image = base + ".img"
        mountPoint = base
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let steps: [(String, [String])] = [
            ("/usr/bin/truncate", ["-s", "\(megabytes)M", image]),
            ("/usr/sbin/mkfs.ext4", ["-q", "-F", image]),
            ("/usr/bin/mount", ["-o", "loop", image, mountPoint]),
        ]
        for (tool, args) in steps {
            let result = try? Command.run(tool, args)
            guard result?.status == 0 else {
                print("skipped: cannot make a loop-mounted ext4 file system (\(tool): \(result?.stderr ?? "not runnable"))")
                try? FileManager.default.removeItem(atPath: image)
                try? FileManager.default.removeItem(atPath: mountPoint)
                return nil
            }
        }
    }

    private var fillPath: String { mountPoint + "/fill" }
    private var fillDirectories: String { mountPoint + "/fill-dirs" }

    /// Writes zeros until the file system is full, then makes directories until not even
    /// one more fits (ext4 keeps a few blocks back that only metadata may use).
    func fill() throws {
        try writeZerosUntilFull()
        guard mkdir(fillDirectories, 0o755) == 0 else { return }
        var n = 0
        while mkdir("\(fillDirectories)/\(n)", 0o755) == 0 { n += 1 }
        try syncFileSystem()
    }

    /// Fills the file system, then frees `bytes` of it again (whole blocks), and waits for the
    /// freed blocks to be usable (ext4 reuses blocks only once their transaction commits).
    func fill(leavingBytes bytes: Int) throws {
        try writeZerosUntilFull()
        try syncFileSystem()
        let size = try FileManager.default.attributesOfItem(atPath: fillPath)[.size] as? Int ?? 0
        guard truncate(fillPath, off_t(max(0, size - bytes))) == 0 else { throw FixtureError.failed("truncate \(fillPath)") }
        try syncFileSystem()
    }

    /// Block by block, so no more than a block is left free.
    private func writeZerosUntilFull() throws {
        _ = try Command.run("/usr/bin/dd", ["if=/dev/zero", "of=\(fillPath)", "bs=4k"])
    }

    /// `sync -f`: only this file system. A plain `sync` waits for every disk write of the
    /// machine, which under the parallel test suite took minutes.
    private func syncFileSystem() throws {
        _ = try Command.run("/usr/bin/sync", ["-f", mountPoint])
    }

    func unfill() throws {
        try FileManager.default.removeItem(atPath: fillPath)
        try? FileManager.default.removeItem(atPath: fillDirectories)
    }

    func remove() {
        _ = try? Command.run("/usr/bin/umount", ["-l", mountPoint])
        try? FileManager.default.removeItem(atPath: image)
        try? FileManager.default.removeItem(atPath: mountPoint)
    }
}
