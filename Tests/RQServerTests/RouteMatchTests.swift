import Testing
@testable import RQServer

/// Route matching and request-path checks (spec rest.md §3.2), without a request.
@Suite struct RouteMatchTests {
    private func route(_ method: String, _ path: String) -> Route? {
        guard let segments = try? RequestPath.segments(rawPath: path, relativeRoot: "/") else { return nil }
        return Route.match(method: method, segments: segments)
    }

    @Test func everyRouteKind() {
        let expected: [(String, String, Route)] = [
            ("GET", "/", .home), ("HEAD", "/", .home),
            ("GET", "/new_queue", .newQueueForm), ("POST", "/new_queue", .newQueue),
            ("POST", "/new_queue_link", .newQueueLink), ("POST", "/delete_queue", .deleteQueue),
            ("GET", "/q.txt", .queueListText), ("GET", "/q.json", .queueListJSON),
            ("GET", "/q/a", .queuePage(queue: "a")), ("GET", "/q/a.txt", .queueText(queue: "a")),
            ("GET", "/q/a.json", .queueJSON(queue: "a")), ("GET", "/q/a/done.json", .doneJSON(queue: "a")),
            ("GET", "/q/a/new_message", .newMessageForm(queue: "a")), ("POST", "/q/a/new_message", .newMessage(queue: "a")),
            ("POST", "/q/a/adminoper", .adminOper(queue: "a")), ("POST", "/q/a/restart", .restart(queue: "a")),
            ("POST", "/q/a/ack_errs", .ackErrs(queue: "a")), ("GET", "/q/a/config.json", .configFile(queue: "a")),
            ("GET", "/q/a/config", .liveConfig(queue: "a")), ("GET", "/q/a/1.2", .messagePage(queue: "a", id: "1.2")),
            ("GET", "/q/a/1.2.json", .messageJSON(queue: "a", id: "1.2")), ("POST", "/q/a/1.2", .messagePost(queue: "a", id: "1.2")),
            ("GET", "/q/a/1.2/state.json", .messageState(queue: "a", id: "1.2")),
            ("POST", "/q/a/1.2/clone", .clone(queue: "a", id: "1.2")), ("POST", "/q/a/1.2/run_now", .runNow(queue: "a", id: "1.2")),
            ("POST", "/q/a/1.2/attach/new", .attachNew(queue: "a", id: "1.2")),
            ("POST", "/q/a/1.2/attach/f.txt", .attachPost(queue: "a", id: "1.2", name: "f.txt")),
            ("GET", "/q/a/1.2/attach/f%20g.txt", .attachment(queue: "a", id: "1.2", name: "f g.txt")),
            ("GET", "/q/a/1.2/log/stdio.log", .log(queue: "a", id: "1.2", name: "stdio.log")),
            ("GET", "/q/a/1.2/tailview/f", .tailView(queue: "a", id: "1.2", name: "f")),
            ("GET", "/q/a/1.2/tailviewlog/stdio.log", .tailViewLog(queue: "a", id: "1.2", name: "stdio.log")),
        ]
        for (method, path, want) in expected { #expect(route(method, path) == want, "\(method) \(path)") }
    }

    @Test func unmatched() {
        for (method, path) in [("POST", "/"), ("GET", "/delete_queue"), ("POST", "/q/a"), ("GET", "/q/a/1/clone"),
                               ("PUT", "/q/a"), ("GET", "/x/a/b"), ("GET", "/q/a/1/attach/x/y")] {
            #expect(route(method, path) == nil, "\(method) \(path)")
        }
    }

    @Test func unsafePathsNeverReachARoute() throws {
        #expect(throws: RequestPath.Rejection.forbiddenSegment("..")) { try RequestPath.segments(rawPath: "/q/../etc", relativeRoot: "/") }
        #expect(throws: RequestPath.Rejection.forbiddenSegment("a/b")) { try RequestPath.segments(rawPath: "/q/a%2Fb", relativeRoot: "/") }
        #expect(throws: RequestPath.Rejection.badEncoding) { try RequestPath.segments(rawPath: "/q/%zz", relativeRoot: "/") }
        #expect(throws: RequestPath.Rejection.outsideRoot) { try RequestPath.segments(rawPath: "/q/a", relativeRoot: "/rq/") }
        #expect(try RequestPath.segments(rawPath: "/rq/./q/a", relativeRoot: "/rq/") == ["q", "a"])
    }
}
