import Foundation
import Testing

/// Several real servers relaying to each other on loopback, and the checks the relay tests share.
extension ServerFixture {
    /// Rewrites a queue's config.json (e.g. the installed `relay` queue) and restarts the server
    /// so it is read again: `retryBase` 0 makes resends immediate, so max_count tests run fast.
    func configureQueue(_ name: String, numWorkers: Int = 1, retryBase: Double = 0, extra: String = "") throws {
        stop()
        let config = """
        {"name":"\(name)","script":"\(root)/default_scripts/\(name)/run","num_workers":\(numWorkers),"exec_prefix":"",\
        "env_vars":{"RQ_RETRY_BASE_SECONDS":"\(retryBase)"},"coalesce_params":[],"blocking_params":[]\(extra)}
        """
        try config.write(toFile: "\(root)/queue/\(name)/config.json", atomically: true, encoding: .utf8)
        try start()
    }

    /// A queue whose script reports `done arrived` whatever the params say (relayed copies
    /// keep the sender's params, which must not make the receiver act on them again).
    func createDoneQueue(_ name: String, paused: Bool = false) throws {
        let script = root + "/done.sh"
        try "#!/bin/sh\necho 'done arrived' >&3\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        try createWorkerQueue(name, script: script, paused: paused)
    }

    /// `rq sendmesg` of a message for a remote queue URL; returns the local relay message's full id.
    func sendRelayed(to url: String, _ extra: [String] = []) throws -> String {
        let r = try rq(["sendmesg", "--dest", url, "--relay-ok", "--param1", "done"] + extra)
        let words = r.out.split(separator: " ")
        guard r.status == 0, words.count == 2, words[0] == "ok" else { throw FixtureError.failed("sendmesg: \(r.out) \(r.stderr)") }
        return String(words[1])
    }

    /// `rq statusmesg` output, e.g. `ok relayed - http://…/q/test/<id>`.
    func statusOf(_ fullID: String) -> String {
        (try? rq(["statusmesg", "--msg_id", fullID]).out) ?? ""
    }

    /// The relay message's `job/stdio.log` as served over HTTP.
    func relayLog(_ fullID: String) -> String {
        (try? http("/q/relay/\(shortID(fullID))/log/stdio.log").body) ?? ""
    }

    /// Waits for a relay message to end in `relayed`; returns the remote full id.
    func waitRelayed(_ fullID: String, timeout: TimeInterval = 30, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        var remote: String?
        WorkerTests.waitUntil(timeout: timeout, "\(fullID) relayed (now: \(statusOf(fullID)))", sourceLocation: sourceLocation) {
            let status = statusOf(fullID)
            guard status.hasPrefix("ok relayed - ") else { return false }
            remote = String(status.dropFirst("ok relayed - ".count))
            return true
        }
        return remote
    }

    /// Waits for a message to end in `err`; returns its status text.
    func waitErr(_ fullID: String, timeout: TimeInterval = 30, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        var status = ""
        WorkerTests.waitUntil(timeout: timeout, "\(fullID) err (now: \(statusOf(fullID)))", sourceLocation: sourceLocation) {
            status = statusOf(fullID)
            return status.hasPrefix("ok err")
        }
        return status
    }

    /// Short ids of the messages in `state` of `queue`, read from disk.
    func messageIDs(_ queue: String, _ state: String) -> [String] {
        let dir = "\(root)/queue/\(queue)/\(state)"
        guard state == "done" || state == "relayed" else {
            return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix(".") }
        }
        let walker = FileManager.default.enumerator(atPath: dir)
        var ids: [String] = []
        while let path = walker?.nextObject() as? String {
            if path.split(separator: "/").count == 4 { ids.append(String(path.split(separator: "/").last!)); walker?.skipDescendants() }
        }
        return ids
    }

    /// Every message of `queue` in any state, as parsed `msg` files.
    func allMessages(_ queue: String, states: [String] = ["prep", "que", "run", "done", "err", "relayed"]) -> [[String: Any]] {
        var result: [[String: Any]] = []
        for state in states {
            for id in messageIDs(queue, state) {
                let base = "\(root)/queue/\(queue)/\(state)/"
                let path = (state == "done" || state == "relayed") ? base + hashPath(id) + "/msg" : base + id + "/msg"
                if let data = FileManager.default.contents(atPath: path),
                   let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
                    result.append(object)
                }
            }
        }
        return result
    }

    private func hashPath(_ id: String) -> String {
        let c = Array(id)
        return "\(String(c[0..<8]))/\(String(c[9..<11]))/\(String(c[11..<13]))/\(id)"
    }
}
