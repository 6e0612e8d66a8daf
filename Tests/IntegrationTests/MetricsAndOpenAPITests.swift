import Foundation
import Testing

/// `GET /metrics` parsed as Prometheus text format, and `/openapi.json` against the live router.
@Suite struct MetricsAndOpenAPITests {
    @Test func metricsReportQueuesRunsHTTPAndSyncs() throws {
        let s = try ServerFixture()
        let script = s.root + "/done.sh"
        try "#!/bin/sh\necho 'done fine' >&3\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        try s.createQueue("mq", script: script)
        try s.createQueue("mp", paused: true)
        for _ in 0..<2 { _ = try s.postMessage("mq", #"{"dest":"mq"}"#) }
        _ = try s.postMessage("mp", #"{"dest":"mp"}"#)
        #expect(WorkerTests.waitUntil(timeout: 10, "2 done") { (try? s.http("/q/mq.txt").body.contains("done: 2\n")) == true })
        _ = try s.http("/q/nosuch")
        let r = try s.fetch("/metrics")
        #expect(r.status == 200)
        #expect(r.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let families = try PrometheusText.parse(r.body)
        func value(_ name: String, _ labels: [String: String]) -> Double? {
            families[name]?.samples.first { $0.name == name && $0.labels == labels }?.value
        }
        #expect(families["rq_queue_messages"]?.type == "gauge")
        #expect(value("rq_queue_messages", ["queue": "mq", "state": "done"]) == 2)
        #expect(value("rq_queue_messages", ["queue": "mp", "state": "que"]) == 1)
        #expect(value("rq_queue_status", ["queue": "mp", "status": "PAUSE"]) == 1)
        #expect(value("rq_queue_status", ["queue": "mp", "status": "UP"]) == 0)
        #expect(value("rq_running_scripts", ["queue": "mq"]) == 0)
        #expect(families["rq_messages_created_total"]?.type == "counter")
        #expect(value("rq_messages_created_total", ["queue": "mq"]) == 2)
        #expect(value("rq_messages_finished_total", ["queue": "mq", "state": "done"]) == 2)
        #expect(families["rq_script_run_seconds"]?.type == "histogram")
        #expect(families["rq_script_run_seconds"]?.samples.first { $0.name == "rq_script_run_seconds_count" && $0.labels["queue"] == "mq" }?.value == 2)
        #expect(families["rq_script_run_seconds"]?.samples.contains { $0.labels["le"] == "+Inf" } == true)
        #expect((value("rq_http_requests_total", ["route": "new_message", "status": "200"]) ?? 0) >= 3)
        #expect((value("rq_http_requests_total", ["route": "queue_page", "status": "404"]) ?? 0) == 1)
        #expect((value("rq_http_open_connections", [:]) ?? 0) >= 1)
        #expect((families["rq_durable_sync_seconds"]?.samples.first { $0.name == "rq_durable_sync_seconds_count" }?.value ?? 0) >= 3)
        // A deleted queue's gauges go away.
        _ = try s.http("/delete_queue", ["--data", "queue_name=mp"])
        let after = try PrometheusText.parse(try s.http("/metrics").body)
        #expect(after["rq_queue_messages"]?.samples.contains { $0.labels["queue"] == "mp" } == false)
    }

    @Test func openAPIDocumentIsServedAndEveryGetPathAnswers() throws {
        let s = try ServerFixture()
        try s.createQueue("oa", paused: true)
        let id = shortID((parseJSON(try s.postMessage("oa", #"{"dest":"oa"}"#).body) as? [String])?.last ?? "")
        let doc = parseJSON(try s.http("/openapi.json").body) as? [String: Any]
        #expect((doc?["openapi"] as? String)?.hasPrefix("3.") == true)
        let paths = doc?["paths"] as? [String: [String: Any]] ?? [:]
        #expect(paths.count > 30)
        for (template, methods) in paths where methods["get"] != nil {
            let path = template.replacingOccurrences(of: "{queue}", with: "oa").replacingOccurrences(of: "{id}", with: id)
                .replacingOccurrences(of: "{name}", with: "stdio.log")
            let status = try s.http(path).status
            // Files that do not exist yet (the log of a message that never ran) are 404; every
            // other documented GET route answers.
            #expect(status == 200 || (path.contains("/log/") || path.contains("/attach/")) && status == 404, "\(path): \(status)")
        }
    }
}

/// A strict reader of the Prometheus text format (0.0.4): `# HELP`/`# TYPE` lines, samples
/// `name{label="value",…} number`. Throws on any line it does not understand.
enum PrometheusText {
    struct Sample { let name: String; let labels: [String: String]; let value: Double }
    struct Family { var type = "untyped"; var help = ""; var samples: [Sample] = [] }
    struct BadLine: Error { let line: String }

    static func parse(_ text: String) throws -> [String: Family] {
        var families: [String: Family] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("# TYPE ") || line.hasPrefix("# HELP ") {
                let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
                guard parts.count >= 3 else { throw BadLine(line: line) }
                if parts[1] == "TYPE" {
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else { throw BadLine(line: line) }
                    families[parts[2], default: Family()].type = parts[3]
                } else {
                    families[parts[2], default: Family()].help = parts.count == 4 ? parts[3] : ""
                }
                continue
            }
            let sample = try parseSample(line)
            let family = ["_bucket", "_sum", "_count"].compactMap { suffix -> String? in
                sample.name.hasSuffix(suffix) ? String(sample.name.dropLast(suffix.count)) : nil
            }.first { families[$0]?.type == "histogram" } ?? sample.name
            guard families[family] != nil else { throw BadLine(line: "sample before its TYPE: " + line) }
            families[family]?.samples.append(sample)
        }
        return families
    }

    private static func parseSample(_ line: String) throws -> Sample {
        var labels: [String: String] = [:]
        let name: String
        var rest: Substring
        if let brace = line.firstIndex(of: "{") {
            name = String(line[..<brace])
            guard let close = line.lastIndex(of: "}") else { throw BadLine(line: line) }
            var body = line[line.index(after: brace)..<close]
            while !body.isEmpty {
                guard let eq = body.firstIndex(of: "="), body[body.index(after: eq)] == "\"" else { throw BadLine(line: line) }
                let key = String(body[..<eq])
                var value = ""
                var index = body.index(eq, offsetBy: 2)
                while index < body.endIndex, body[index] != "\"" {
                    if body[index] == "\\" { index = body.index(after: index) }
                    value.append(body[index])
                    index = body.index(after: index)
                }
                guard index < body.endIndex else { throw BadLine(line: line) }
                labels[key] = value
                body = body[body.index(after: index)...]
                if body.first == "," { body = body.dropFirst() }
            }
            rest = line[line.index(after: close)...]
        } else {
            guard let space = line.firstIndex(of: " ") else { throw BadLine(line: line) }
            name = String(line[..<space])
            rest = line[space...]
        }
        guard name.range(of: "^[a-zA-Z_:][a-zA-Z0-9_:]*$", options: .regularExpression) != nil else { throw BadLine(line: line) }
        let fields = rest.split(separator: " ")
        guard (1...2).contains(fields.count), let value = Double(fields[0]) ?? (fields[0] == "+Inf" ? .infinity : nil) else { throw BadLine(line: line) }
        return Sample(name: name, labels: labels, value: value)
    }
}
