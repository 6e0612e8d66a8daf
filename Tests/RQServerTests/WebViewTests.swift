import Foundation
import RQStore
import Testing
@testable import RQServer

/// Templates, view models, display rules and the OpenAPI document against the router.
@Suite struct WebViewTests {
    @Test func openAPIDocumentsEveryRouteAndOnlyRealOnes() throws {
        let bytes = try #require(WebApp.assets["openapi.json"]?.bytes)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let paths = try #require(doc["paths"] as? [String: [String: [String: Any]]])
        var documented = Set<String>()
        for (template, methods) in paths {
            for (method, operation) in methods {
                let operationID = try #require(operation["operationId"] as? String)
                documented.insert(operationID)
                let segments = template.split(separator: "/").map {
                    String($0).replacingOccurrences(of: "{queue}", with: "q1").replacingOccurrences(of: "{id}", with: "20261201.0501.02.003.42")
                        .replacingOccurrences(of: "{name}", with: "file.txt")
                }
                let route = Route.match(method: method.uppercased(), segments: segments)
                #expect(route?.name == operationID, "\(method) \(template) routes to \(String(describing: route))")
            }
        }
        // One of every route: each must be documented (a new route without docs fails here).
        let every: [Route] = [
            .home, .newQueueForm, .newQueue, .newQueueLink, .deleteQueue, .queueListText, .queueListJSON,
            .queuePage(queue: "q"), .queueText(queue: "q"), .queueJSON(queue: "q"), .doneJSON(queue: "q"),
            .newMessageForm(queue: "q"), .newMessage(queue: "q"), .messageBatch(queue: "q"), .adminOper(queue: "q"), .restart(queue: "q"),
            .ackErrs(queue: "q"), .configFile(queue: "q"), .liveConfig(queue: "q"), .messagePage(queue: "q", id: "i"),
            .messageJSON(queue: "q", id: "i"), .messageState(queue: "q", id: "i"), .clone(queue: "q", id: "i"),
            .runNow(queue: "q", id: "i"), .attachNew(queue: "q", id: "i"), .attachPost(queue: "q", id: "i", name: "n"),
            .log(queue: "q", id: "i", name: "n"), .attachment(queue: "q", id: "i", name: "n"),
            .tailView(queue: "q", id: "i", name: "n"), .tailViewLog(queue: "q", id: "i", name: "n"),
            .messagePost(queue: "q", id: "i"), .bulkErr(queue: "q"), .asset(name: "css/rq.css"), .metrics, .openAPI,
        ]
        #expect(Set(every.map(\.name)) == documented)
    }

    @Test func everyAssetIsServedByTheRouter() {
        for name in WebApp.assets.keys {
            let route = Route.match(method: "GET", segments: name.split(separator: "/").map(String.init))
            #expect(route == .asset(name: name) || (name == "openapi.json" && route == .openAPI), "\(name)")
        }
    }

    @Test func templatesEscapeEveryValue() {
        let evil = "<script>alert(1)</script>"
        let message = MessageView(queue: "q", id: "20261201.0501.02.003.42", json: .object([
            "param1": .string(evil), "status": .string(evil), "state": .string("prep"),
            "_attachments": .object([evil: .object(["md5": .string(evil), "size": .int(3)])]),
        ]))
        let layout = Layout(title: evil, root: "/", env: evil, flash: Layout.FlashModel(kind: "notice", text: evil),
                            crumbs: [Layout.Crumb(label: evil, href: "/q/x")], allowNewQueue: true, serverTime: "now")
        let html = PageRenderer.page("message", MessagePage(message: message, root: "/"), layout: layout)
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains(#"<div id="flash-notice" class="flash flash-notice">&lt;script&gt;"#))
        // The whitespace form of field rows that the original's tests match (web-ui.md §8.4).
        #expect(html.contains("<td class=\"key\">\n param1</td><td class=\"sep\"> : </td><td> &lt;script&gt;"))
        let form = PageRenderer.render("new_queue", NewQueueForm(root: "/", typed: ["name": .string(evil)], problem: evil))
        #expect(!form.contains("<script>alert") && form.contains("value=\"&lt;script&gt;"))
    }

    @Test func homePageListsTimersSoonestFirst() {
        let page = HomePage(snapshots: [], metrics: ServerMetrics(), root: "/", pid: 1, uptime: 5, now: 1000,
                            timerDueTimes: ["nightly": 1600, "<soon>": 1030])
        let html = PageRenderer.render("home", page)
        #expect(html.contains("<tr><td>&lt;soon&gt;</td><td>30</td></tr><tr><td>nightly</td><td>600</td></tr>"))
        #expect(page.jsonText.contains(#""timers":[{"name":"<soon>","due_in":30},{"name":"nightly","due_in":600}]"#))
        #expect(PageRenderer.render("home", HomePage(snapshots: [], metrics: ServerMetrics(), root: "/", pid: 1, uptime: 5, now: 0))
            .contains("No timers."))
    }

    @Test func displayRules() {
        #expect(Formatting.spark([0, 1, 2, 4, 8]) == "▁▂▃▅█", "any non-zero minute stands above zero")
        #expect(Formatting.spark([0, 0]) == "▁▁")
        #expect(Formatting.age(nil) == "–")
        #expect(Formatting.age(59) == "59s")
        #expect(Formatting.age(61) == "1m 1s")
        #expect(Formatting.age(7260) == "2h 1m")
        #expect(Formatting.age(90000) == "1d 1h")
        #expect(Formatting.countColor(state: "err", value: 1) == "red")
        #expect(Formatting.countColor(state: "done", value: 1) == "green")
        #expect(Formatting.countColor(state: "que", value: 1) == "yellow")
        #expect(Formatting.countColor(state: "que", value: 0) == "none")
        #expect(Formatting.size(5) == "5 B")
        #expect(Formatting.size(2048) == "2.0 KiB")
        #expect(abs((Formatting.idTime("20261201.0501.02.003.42") ?? 0) - 1_796_101_262.003) < 0.0001)
        #expect(Formatting.idTime("nonsense") == nil)
        #expect(URLPath.segment("a b/c") == "a%20b%2Fc")
    }

    @Test func minuteSeriesKeepsTheLastMinutes() {
        var series = MinuteSeries(length: 3)
        series.record(at: 60)
        series.record(at: 61)
        series.record(at: 125)
        #expect(series.perMinute(at: 130) == [0, 2, 1])
        #expect(series.perMinute(at: 250) == [1, 0, 0])
        #expect(series.perMinute(at: 400) == [0, 0, 0])
        series.record(at: 400)
        #expect(series.perMinute(at: 400) == [0, 0, 1])
    }

    @Test func metricsExpositionHasEveryFamily() {
        let metrics = ServerMetrics(now: { 600 })
        metrics.messageCreated(queue: "a")
        metrics.messageFinished(queue: "a", state: "done", runTime: .milliseconds(250))
        metrics.messageFinished(queue: "a", state: "err", runTime: .seconds(2))
        metrics.httpRequest(routeClass: "home", status: 200)
        metrics.durableSync(.microseconds(700))
        let text = metrics.exposition(queues: [], openConnections: 1)
        for family in ["rq_messages_created_total", "rq_messages_finished_total", "rq_script_run_seconds",
                       "rq_http_requests_total", "rq_http_open_connections", "rq_durable_sync_seconds"] {
            #expect(text.contains("# TYPE \(family) "), "\(family)")
        }
        #expect(text.contains(#"rq_script_run_seconds_bucket{queue="a",le="0.5"} 1"#))
        #expect(metrics.perMinute(queue: "a").done.last == 1)
        #expect(metrics.perMinute(queue: "a").err.last == 1)
        #expect(metrics.perMinute(queue: "b").done == Array(repeating: 0, count: 10))
    }
}
