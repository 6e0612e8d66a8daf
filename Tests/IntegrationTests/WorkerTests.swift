import Foundation
import Testing

/// End-to-end tests of the worker machinery (spec README §3–§4, worker-protocol.md): the real
/// `rq-server` runs the real queue scripts in `Scripts/` (bash and python3). The suites live
/// in `Worker*Tests.swift` as nested suites of this one, which runs them one at a time: several
/// measure wall-clock overlap, and the flood and crash tests load the machine.
@Suite(.serialized) enum WorkerTests {
    /// Polls `condition` every 50 ms until it holds or `timeout` seconds pass; a timeout is a
    /// test failure (recorded at the caller). Returns whether the condition held, so callers
    /// can stop early instead of asserting on a state that never came.
    @discardableResult
    static func waitUntil(timeout: TimeInterval, _ what: @autoclosure () -> String = "condition",
                          sourceLocation: SourceLocation = #_sourceLocation,
                          _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try condition() { return true }
            if Date() >= deadline {
                Issue.record("timed out after \(timeout) s waiting for \(what())", sourceLocation: sourceLocation)
                return false
            }
            usleep(50_000)
        }
    }

    /// Wall-clock seconds since 1970, the same clock the scripts' `date +%s.%N` reads.
    static func now() -> Double { Date().timeIntervalSince1970 }

    /// Reads a file the scripts write, trimmed; nil when it does not exist (yet).
    static func readText(_ path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The numbers (one per line) of a timestamp file written by the `timeline` and `resend` modes.
    static func stamps(_ path: String) -> [Double] {
        (readText(path) ?? "").split(separator: "\n").compactMap { Double($0) }
    }

    /// A JSON string literal for `text` (paths in hand-built JSON).
    static func jsonString(_ text: String) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed, .withoutEscapingSlashes]) else { return "\"\"" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Absolute paths of the queue scripts under `Tests/IntegrationTests/Scripts`.
enum WorkerScripts {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Scripts").path
    /// The multi-purpose bash script; `RQ_PARAM1` picks its behaviour (see the script).
    static var job: String { directory + "/job.sh" }
    /// Second bash script, the re-pointed target of the symlink test.
    static var other: String { directory + "/other.sh" }
    /// Python script that dumps the worker's environment, cwd and fds as JSON.
    static var envDump: String { directory + "/env_dump.py" }

    /// `path` with every symlink resolved, as the server reports it in `RQ_REALSCRIPT`.
    static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }
}

extension ServerFixture {
    /// Creates a queue that runs `script` directly (`exec_prefix` ""), with `workers` workers.
    /// `extra` is raw JSON appended to the config object, e.g. `,"blocking_params":[4]`.
    /// A paused queue gets its PAUSE marker before it exists, so nothing runs until resumed.
    func createWorkerQueue(_ name: String, script: String, workers: Int = 1, paused: Bool = false, extra: String = "") throws {
        if paused { _ = FileManager.default.createFile(atPath: "\(root)/config/\(name).pause", contents: nil) }
        let config = "{\"name\":\"\(name)\",\"script\":\(WorkerTests.jsonString(script)),\"num_workers\":\(workers),\"exec_prefix\":\"\"\(extra)}"
        let reply = try rq1("config/queuemgr.sock", "create_queue " + config)
        guard reply == #"["success","queue created - awesome"]"# else { throw FixtureError.failed("create_queue \(name): \(reply)") }
    }

    /// `resume_queue` over the manager socket.
    func resumeQueue(_ name: String) throws {
        let reply = try rq1("config/queuemgr.sock", "resume_queue \(name)")
        guard reply == "[\"ok\",\"\(name)\"]" else { throw FixtureError.failed("resume_queue \(name): \(reply)") }
    }

    /// `create_message` over the queue socket; `fields` get `dest` = the queue. Returns the full id.
    func sendWorkerMessage(_ queue: String, _ fields: [String: Any]) throws -> String {
        var message = fields
        message["dest"] = message["dest"] ?? queue
        let data = try JSONSerialization.data(withJSONObject: message, options: [.withoutEscapingSlashes])
        let reply = try rq1("queue/\(queue)/queue.sock", "create_message " + String(decoding: data, as: UTF8.self))
        guard let pair = parseJSON(reply) as? [Any], pair.first as? String == "ok", let full = pair.last as? String else {
            throw FixtureError.failed("create_message on \(queue): \(reply)")
        }
        return full
    }

    /// The reported status (`done - <text>`, `que`, …) from `get_message_status`; nil if unknown.
    func workerStatus(_ queue: String, _ id: String) -> String? {
        guard let reply = try? rq1("queue/\(queue)/queue.sock", "get_message_status {\"msg_id\":\"\(id)\"}"),
              let pair = parseJSON(reply) as? [Any], pair.first as? String == "ok",
              let info = pair.last as? [String: Any] else { return nil }
        return info["status"] as? String
    }

    /// The state (`que`, `run`, `done`, …) from `get_message_state`; nil if unknown.
    func workerState(_ queue: String, _ id: String) -> String? {
        guard let reply = try? rq1("queue/\(queue)/queue.sock", "get_message_state {\"msg_id\":\"\(id)\"}"),
              let pair = parseJSON(reply) as? [String], pair.first == "ok" else { return nil }
        return pair.last
    }

    /// The combined queue status from the queue socket's `status` (this query also re-reads
    /// the admin markers and kicks the scheduler).
    func queueStatus(_ queue: String) -> String? {
        guard let reply = try? rq1("queue/\(queue)/queue.sock", "status "),
              let list = parseJSON(reply) as? [String] else { return nil }
        return list.first
    }

    /// Every directory named `id` under `queue/<queue>/`, relative to it (e.g.
    /// `done/20240105/13/07/<id>`, `que/<id>`): a message must be in exactly one.
    func stateDirectories(_ queue: String, _ id: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: "\(root)/queue/\(queue)") else { return [] }
        var found: [String] = []
        while let path = walker.nextObject() as? String {
            let name = (path as NSString).lastPathComponent
            if name == id {
                found.append(path)
                walker.skipDescendants()
            } else if name.contains(".") {
                // Other messages (ids contain dots) and files: nothing to find inside.
                walker.skipDescendants()
            }
        }
        return found
    }

    /// A fresh directory under the root for files the scripts write.
    func scratchDirectory(_ name: String) throws -> String {
        let path = "\(root)/scratch/\(name)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
