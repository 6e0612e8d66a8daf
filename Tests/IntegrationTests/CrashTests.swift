import Foundation
import Testing

/// SIGKILL during ingestion: every message that got `ok` is present exactly once afterwards.
@Suite(.serialized) struct CrashTests {
    @Test func acknowledgedMessagesSurviveSIGKILL() throws {
        let s = try ServerFixture()
        try s.createQueue("crash", paused: true)
        let clients = 8
        let acknowledged = Locked<[String]>([])
        let group = DispatchGroup()
        let baseURL = s.baseURL
        let stop = Locked(false)
        for client in 0..<clients {
            DispatchQueue.global().async(group: group) {
                var n = 0
                while !stop.value {
                    n += 1
                    let mesg = formEncode("{\"dest\":\"crash\",\"param1\":\"c\(client)-\(n)\"}")
                    guard let r = try? Command.run("/usr/bin/curl", ["-s", "--max-time", "5", "--data", "x_format=json&mesg=" + mesg, baseURL + "/q/crash/new_message"]),
                          let reply = parseJSON(r.stdout) as? [String], reply.first == "ok", let full = reply.last else { continue }
                    acknowledged.mutate { $0.append(shortID(full)) }
                }
            }
        }
        Thread.sleep(forTimeInterval: 3)
        s.stop(signal: SIGKILL)
        stop.mutate { $0 = true }
        group.wait()
        let acked = acknowledged.value
        #expect(acked.count > 20)
        try s.start()
        var seen: [String: Int] = [:]
        for entry in try FileManager.default.contentsOfDirectory(atPath: s.root + "/queue/crash/que") { seen[entry, default: 0] += 1 }
        for entry in try FileManager.default.contentsOfDirectory(atPath: s.root + "/queue/crash/prep") { seen[entry, default: 0] += 1 }
        for id in acked {
            #expect(seen[id] == 1, "acknowledged \(id) missing after crash")
            #expect(try s.messageJSON("crash", id)?["state"] as? String == "que")
        }
    }
}

