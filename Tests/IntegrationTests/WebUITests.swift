import Foundation
import Testing

/// The operator pages through the real server: assets, JSON twins, state-dependent buttons,
/// refused queue names, error pages, escaping of every user value, bulk err actions.
@Suite struct WebUITests {
    static let browserAccept = ["-H", "Accept: text/html,application/xhtml+xml"]

    @Test func assetsAreServedFromTheBinary() throws {
        let s = try ServerFixture()
        for (path, type, needle) in [("/css/rq.css", "text/css", ".topbar"), ("/js/main.js", "text/javascript", "pollLive"),
                                     ("/js/ansi_up.js", "text/javascript", "export class AnsiUp")] {
            let r = try s.fetch(path)
            #expect(r.status == 200, "\(path)")
            #expect(r.header("Content-Type")?.hasPrefix(type) == true, "\(path)")
            #expect(r.body.contains(needle), "\(path)")
        }
        let icon = try s.curl(["-o", s.root + "/icon", "-w", "%{http_code} %{content_type}", s.baseURL + "/favicon.ico"])
        #expect(icon.stdout == "200 image/x-icon")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: s.root + "/icon"))
        #expect(Array(bytes.prefix(4)) == [0, 0, 1, 0])
        // Pages link only to the server itself: no CDN.
        let home = try s.http("/").body
        #expect(home.contains("css/rq.css") && home.contains("js/main.js"))
        #expect(!home.contains("https://"))
    }

    @Test func homeAndQueuePagesHaveJSONTwins() throws {
        let s = try ServerFixture()
        try s.createQueue("twin", paused: true)
        for _ in 0..<3 { _ = try s.postMessage("twin", #"{"dest":"twin"}"#) }
        let home = try s.http("/?x_format=json")
        #expect(home.status == 200)
        let object = parseJSON(home.body) as? [String: Any]
        #expect(object?["manager"] as? String == "OPERATIONAL")
        let queues = object?["queues"] as? [[String: Any]] ?? []
        let twin = queues.first { $0["name"] as? String == "twin" }
        #expect((twin?["counts"] as? [String: Int])?["que"] == 3)
        #expect(twin?["status"] as? String == "PAUSE")
        #expect((twin?["done_per_minute"] as? [Int])?.count == 10)
        #expect((twin?["oldest_queued_age"] as? Int).map { $0 >= 0 && $0 < 60 } == true)
        let queue = parseJSON(try s.http("/q/twin?x_format=json").body) as? [String: Any]
        #expect((queue?["counts"] as? [String: Int])?["que"] == 3)
        #expect(((queue?["messages"] as? [String: Any])?["que"] as? [String])?.count == 3)
        #expect((queue?["config"] as? [String: Any])?["name"] as? String == "twin")
        let html = try s.http("/").body
        #expect(html.contains(#"<tr data-queue="twin">"#))
        #expect(html.contains(#"<td class="count yellow" data-count="que">3</td>"#))
    }

    @Test func homeListsTimers() throws {
        let s = try PeriodicTests.server { root in
            try PeriodicTests.write(#"{"period": 3600, "msg": {"dest": "debug"}}"#, root + "/timers/hourly.json")
        }
        #expect(WorkerTests.waitUntil(timeout: 15, "timer on the home page") {
            (try? s.http("/").body.contains(#"<tr><td>hourly</td><td>"#)) == true
        })
        let timers = (parseJSON(try s.http("/?x_format=json").body) as? [String: Any])?["timers"] as? [[String: Any]]
        #expect(timers?.first?["name"] as? String == "hourly")
        #expect((timers?.first?["due_in"] as? Int).map { $0 > 3500 && $0 <= 3600 } == true)
    }

    @Test func downQueuePageStillListsItsMessages() throws {
        let s = try ServerFixture()
        try s.createQueue("dq", paused: true)
        let reply = parseJSON(try s.postMessage("dq", #"{"dest":"dq"}"#).body) as? [String]
        let id = shortID(reply?.last ?? "")
        FileManager.default.createFile(atPath: s.root + "/config/dq.down", contents: nil)
        let page = try s.http("/q/dq").body
        #expect(page.contains("Queue is HARD DOWN"))
        #expect(page.contains(#"data-count="que">1<"#))
        #expect(page.contains(id))
        #expect(!page.contains("<a href=\"/q/dq/fail\""))
        #expect(page.contains(#"id="btn-up""#) && !page.contains(#"id="btn-down""#) && !page.contains(#"id="btn-pause""#))
        #expect(try s.http("/q/dq/\(id)").body.contains(#"data-field="state">que<"#))
        let homeRow = try s.http("/").body.components(separatedBy: #"<tr data-queue="dq">"#).last ?? ""
        #expect(homeRow.contains(#"data-count="que">1<"#))
    }

    @Test func buttonsFollowStateAndArePostForms() throws {
        let s = try ServerFixture()
        try s.createQueue("bt", paused: true)
        let prep = shortID((parseJSON(try s.postMessage("bt", #"{"dest":"bt","_method":"prep"}"#).body) as? [String])?.last ?? "")
        let que = shortID((parseJSON(try s.postMessage("bt", #"{"dest":"bt"}"#).body) as? [String])?.last ?? "")
        let prepPage = try s.http("/q/bt/\(prep)").body
        #expect(prepPage.contains(#"id="btn-commit""#) && prepPage.contains(#"id="attach-form""#))
        #expect(prepPage.contains(#"enctype="multipart/form-data""#) && prepPage.contains(#"name="filedata""#))
        #expect(!prepPage.contains(#"id="btn-clone""#) && !prepPage.contains(#"id="log""#))
        let quePage = try s.http("/q/bt/\(que)").body
        for button in ["btn-clone", "btn-run-now", "btn-delete"] { #expect(quePage.contains("id=\"\(button)\""), "\(button)") }
        #expect(!quePage.contains(#"id="btn-destroy""#) && !quePage.contains(#"id="btn-commit""#))
        #expect(quePage.contains(#"<iframe id="log""#))
        let queuePage = try s.http("/q/bt").body
        #expect(queuePage.contains(#"id="btn-resume""#) && !queuePage.contains(#"id="btn-pause""#))
        #expect(!queuePage.contains(#"id="btn-ack-errs""#))
        #expect(queuePage.contains(prep), "prep messages are listed")
        // Every state-changing action is a POST form: no link points at one, and the only
        // GET form is the search.
        for page in [prepPage, quePage, queuePage] {
            let forms = try NSRegularExpression(pattern: #"<form method="(\w+)" action="([^"]*)""#)
                .matches(in: page, range: NSRange(page.startIndex..., in: page))
                .map { (String(page[Range($0.range(at: 1), in: page)!]), String(page[Range($0.range(at: 2), in: page)!])) }
            #expect(!forms.isEmpty)
            for (method, target) in forms where method != "post" { #expect(target == "/q/bt", "GET form to \(target)") }
            for action in ["/adminoper", "/restart", "/ack_errs", "/clone", "/run_now", "/bulk"] {
                #expect(page.range(of: "href=\"[^\"]*\(action)\"", options: .regularExpression) == nil, "\(action)")

            }
        }
        // Attachments with md5, size and links.
        try "hello".write(toFile: s.root + "/a.txt", atomically: true, encoding: .utf8)
        _ = try s.http("/q/bt/\(prep)/attach/new", ["-F", "filedata=@\(s.root)/a.txt", "-F", "x_format=json"])
        let withAttachment = try s.http("/q/bt/\(prep)").body
        #expect(withAttachment.contains("5d41402abc4b2a76b9719d911017c592"))
        #expect(withAttachment.contains("5 B") && withAttachment.contains("/q/bt/\(prep)/attach/a.txt"))
    }

    @Test func refusedQueueNamesShowTheFormAgain() throws {
        let s = try ServerFixture()
        for name in ["bad/que/test", "bad que test", "bad.que.test"] {
            let r = try s.http("/new_queue", Self.browserAccept + ["-L", "--data-urlencode", "queue[name]=\(name)",
                                                                    "--data-urlencode", "queue[script]=/bin/<true>",
                                                                    "--data-urlencode", "queue[coalesce_params][]=2"])
            #expect(r.status == 400, "\(name)")
            #expect(r.body.contains("queue name has invalid characters"), "\(name): \(r.body)")
            #expect(r.body.contains("value=\"\(name)\""), "\(name) kept")
            #expect(r.body.contains("value=\"/bin/&lt;true&gt;\""))
            #expect(r.body.contains(#"value="2" checked"#))
            #expect(!r.body.contains("queue created"))
        }
        let form = try s.http("/new_queue").body
        for field in ["queue[coalesce_params][]", "queue[blocking_params][]", "queue[exec_prefix]", "queue[num_workers]"] {
            #expect(form.contains("name=\"\(field)\""), "\(field)")
        }
    }

    @Test func newMessageFormHasEveryRequiredField() throws {
        let s = try ServerFixture()
        try s.createQueue("nm", paused: true)
        let form = try s.http("/q/nm/new_message").body
        for id in ["mesg_dest_field", "mesg_src_field", "mesg_param1_field", "mesg_param4_field", "mesg_status_field",
                   "mesg_post_run_webhook_field", "mesg_submit_field"] {
            #expect(form.contains("id=\"\(id)\">"), "\(id)")
        }
        for method in ["commit", "prep", "single_que"] { #expect(form.contains(#"name="mesg[_method]" value="\#(method)""#)) }
        #expect(form.contains(#"name="mesg[post_run_webhook]""#))
        // form.json overrides: labels, help, hidden by default.
        try #"{"default":"hidden","mesg_param1":{"label":"Cluster <ID>","help":"The unique cluster identifier"}}"#
            .write(toFile: s.root + "/queue/nm/form.json", atomically: true, encoding: .utf8)
        let overridden = try s.http("/q/nm/new_message").body
        #expect(overridden.contains(#"<div class="field" id="mesg_param1_field"><label>Cluster &lt;ID&gt;</label>"#))
        #expect(overridden.contains(#"<p class="note">The unique cluster identifier</p>"#))
        #expect(overridden.contains(#"id="mesg_param2_field" style="display: none;">"#))
        #expect(overridden.contains(#"id="mesg_submit_field">"#))
        try "{not json".write(toFile: s.root + "/queue/nm/form.json", atomically: true, encoding: .utf8)
        let bad = try s.http("/q/nm/new_message")
        #expect(bad.status == 500 && bad.body == "500 - Bad overrides file")
        // The form posts: a prep message via the radio.
        let posted = try s.http("/q/nm/new_message", ["--data", "x_format=html&mesg[dest]=nm&mesg[_method]=prep&mesg[param1]=<i>x</i>"])
        #expect(posted.body.contains("New Message Result") && posted.body.contains("OK - "))
        let ids = parseJSON(try s.rq1("queue/nm/queue.sock", #"messages {"state":"prep"}"#)) as? [String]
        #expect(ids?.count == 1)
        // The queue page embeds the same form; posting it returns to the queue page with a flash.
        try FileManager.default.removeItem(atPath: s.root + "/queue/nm/form.json")
        let queuePage = try s.http("/q/nm").body
        #expect(queuePage.contains(#"id="mesg_status_field">"#) && queuePage.contains(#"<input type="hidden" name="back" value="/q/nm">"#))
        let jar = s.root + "/jar"
        let back = try s.http("/q/nm/new_message", ["-L", "-c", jar, "-b", jar, "--data", "x_format=html&back=/q/nm&mesg[dest]=nm&mesg[_method]=commit"])
        #expect(back.body.contains("Created message http://"), "\(back.body.prefix(300))")
    }

    @Test func errorPagesUseTheLayoutForBrowsersAndJSONForAPICallers() throws {
        let s = try ServerFixture()
        try s.createQueue("ep")
        let page = try s.http("/q/nosuch", Self.browserAccept)
        #expect(page.status == 404 && page.body.contains("<h2>Not Found</h2>") && page.body.contains("css/rq.css"))
        let json = try s.http("/q/nosuch", ["-H", "Accept: application/json"])
        #expect(json.status == 404 && (parseJSON(json.body) as? [String: String])?["error"] == "404 - Queue not found")
        let bad = try s.http("/q/ep/\(String(repeating: "x", count: 3))", Self.browserAccept + ["--data", "_method=zap"])
        #expect(bad.status == 400 && bad.body.contains("400 - Invalid method param") && bad.body.contains("<h2>Bad Request</h2>"))
        #expect(try s.http("/q/ep/x", ["--data", "_method=zap"]).body == "400 - Invalid method param")
        FileManager.default.createFile(atPath: s.root + "/config/ep.down", contents: nil)
        let down = try s.http("/q/ep/new_message", Self.browserAccept + ["--data", "x_format=html&mesg[dest]=ep"])
        #expect(down.status == 503 && down.body.contains("Service Unavailable") && down.body.contains("<h2>"))
        let downJSON = try s.http("/q/ep/new_message", ["--data", "x_format=json&mesg={}", "-H", "Accept: application/json"])
        #expect(downJSON.status == 503 && (parseJSON(downJSON.body) as? [String: String])?["error"] != nil)
        let path = try s.http("/q/a%2Fb", Self.browserAccept)
        #expect(path.status == 400 && path.body.contains("invalid characters in request path") && path.body.contains("<h2>"))
    }

    @Test func everyUserValueIsEscaped() throws {
        let s = try ServerFixture()
        let evil = "<script>alert(1)</script>"
        let script = s.root + "/evil.sh"
        try "#!/bin/bash\necho '\(evil)'\nprintf 'run %s\\n' '\(evil)' >&3\nsleep 30\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        try s.createQueue("esc", script: script, extra: #","env_vars":{"X":"<script>alert(1)</script>"}"#)
        let reply = parseJSON(try s.postMessage("esc", #"{"dest":"esc","param1":"<script>alert(1)</script>"}"#).body) as? [String]
        let id = shortID(reply?.last ?? "")
        #expect(WorkerTests.waitUntil(timeout: 10, "status line") { (try? s.messageJSON("esc", id)?["status"] as? String)?.contains("alert") == true })
        try s.createQueue("escprep", paused: true)
        let prep = shortID((parseJSON(try s.postMessage("escprep", #"{"dest":"escprep","_method":"prep"}"#).body) as? [String])?.last ?? "")
        try "x".write(toFile: s.root + "/plain.txt", atomically: true, encoding: .utf8)
        // `<` and `>` are not allowed in attachment names; quotes are, and must not break out of attributes.
        let attached = try s.rq1("queue/escprep/queue.sock", #"attach_message {"msg_id":"\#(prep)","pathname":"\#(s.root)/plain.txt","name":"x\"onmouseover='alert(1)'.txt"}"#)
        #expect(attached.hasPrefix(#"["ok""#), "\(attached)")
        let jar = s.root + "/jar"
        _ = try s.http("/q/escprep/adminoper", ["-c", jar, "--data", "pause=1&back=/q/escprep?x=<script>"])
        let pages = [try s.http("/").body, try s.http("/q/esc").body, try s.http("/q/esc/\(id)").body,
                     try s.http("/q/escprep/\(prep)").body, try s.http("/q/esc/\(id)/tailviewlog/stdio.log").body,
                     try s.http("/q/esc", ["-b", jar]).body, try s.http("/q/esc?filter=<script>").body]
        for (index, page) in pages.enumerated() {
            #expect(!page.contains("<script>alert"), "page \(index)")
            #expect(!page.contains("x\"onmouseover"), "page \(index)")
        }
        #expect(pages[1].contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "queue config")
        #expect(pages[2].contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "param and status")
        #expect(pages[3].contains("x&quot;onmouseover=&#39;alert(1)&#39;.txt"), "attachment name")
        // The log itself is served as text/plain with nosniff, never as HTML.
        let log = try s.fetch("/q/esc/\(id)/log/stdio.log")
        #expect(log.header("Content-Type") == "text/plain" && log.header("X-Content-Type-Options") == "nosniff")
        _ = try s.http("/q/esc/\(id)", ["--data", "_method=destroy"])
    }

    @Test func nothingReadsFilesOutsideTheMessage() throws {
        let s = try ServerFixture()
        try s.createQueue("tr", paused: true)
        let id = shortID((parseJSON(try s.postMessage("tr", #"{"dest":"tr"}"#).body) as? [String])?.last ?? "")
        for path in ["/q/tr/\(id)/log/..%2F..%2F..%2Fconfig.json", "/q/tr/\(id)/log/%2e%2e/msg", "/q/tr/\(id)/tailviewlog/..%2Fmsg",
                     "/q/tr/\(id)/attach/..%2Fmsg", "/q/tr/\(id)/tailview/%2e%2e", "/q/tr/%2e%2e%2Ftr/x"] {
            let r = try s.http(path, ["--path-as-is"])
            #expect(r.status == 400 || r.status == 404, "\(path): \(r.status)")
            #expect(!r.body.contains("\"dest\""), "\(path)")
        }
    }

    @Test func bulkRunAgainAndDeleteOnErrMessages() throws {
        let s = try ServerFixture()
        try s.createQueue("bk", script: "/bin/false")
        var ids: [String] = []
        for _ in 0..<3 { ids.append(shortID((parseJSON(try s.postMessage("bk", #"{"dest":"bk","param1":"p"}"#).body) as? [String])?.last ?? "")) }
        #expect(WorkerTests.waitUntil(timeout: 15, "3 errs") { (try? s.http("/q/bk.txt").body.contains("err: 3\n")) == true })
        FileManager.default.createFile(atPath: s.root + "/config/bk.pause", contents: nil)
        let again = try s.fetch("/q/bk/bulk", ["--data", "_method=run_again&ids[]=\(ids[0])&ids[]=\(ids[1])&back=/q/bk"])
        #expect(again.status == 303)
        let queued = parseJSON(try s.rq1("queue/bk/queue.sock", #"messages {"state":"que"}"#)) as? [[Any]] ?? []
        #expect(queued.count == 2)
        let errs = parseJSON(try s.rq1("queue/bk/queue.sock", #"messages {"state":"err"}"#)) as? [String]
        #expect(errs == [ids[2]])
        let clone = try s.messageJSON("bk", queued.first?.first as? String ?? "")
        #expect(clone?["param1"] as? String == "p")
        let deleted = parseJSON(try s.http("/q/bk/bulk", ["--data", "_method=delete&ids[]=\(ids[2])&x_format=json"]).body) as? [String: Any]
        #expect(deleted?["ok"] as? [String] == [ids[2]])
        #expect(try s.http("/q/bk.txt").body.contains("err: 0\n"))
        // Acknowledged errors are listed on their own, linking to their `.` ids.
        let ackable = shortID((parseJSON(try s.postMessage("bk", #"{"dest":"bk"}"#).body) as? [String])?.last ?? "")
        _ = try s.http("/q/bk/adminoper", ["--data", "resume=1"])
        #expect(WorkerTests.waitUntil(timeout: 15, "err") { (try? s.messageJSON("bk", ackable)?["state"] as? String) == "err" })
        _ = try s.http("/q/bk/ack_errs", ["--data", ""])
        let acked = try s.http("/q/bk?state=err").body
        #expect(acked.contains(#"id="list-errack""#) && acked.contains("/q/bk/.\(ackable)\""), "\(acked)")
        // Only err messages: a queued one is refused, nothing changes.
        let wrong = parseJSON(try s.http("/q/bk/bulk", ["--data", "_method=delete&ids[]=\(queued.first?.first as? String ?? "")&x_format=json"]).body) as? [String: Any]
        #expect((wrong?["failed"] as? [String: String])?.count == 1)
        #expect(try s.http("/q/bk/bulk", ["--data", "_method=zap&ids[]=\(ids[0])"]).status == 400)
    }
}
