import Foundation
import Testing
@testable import RQServer
import RQStore
import RQLoop

/// Web routes in-process (`WebTestClient`): status codes, texts and redirects of spec
/// rest.md, without a server.
@Suite struct WebRouteTests {
    @Test func newMessageJSON() throws {
        let web = try WebTestClient()
        let created = web.post("/q/test/new_message", [("mesg", #"{"dest":"test","param1":"x"}"#)])
        #expect(created.status == 200)
        #expect(created.body.hasPrefix(#"["ok","http://127.0.0.1:3333/q/test/"#))
        let id = String(created.body.dropFirst(#"["ok","http://127.0.0.1:3333/q/test/"#.count).dropLast(2))
        #expect(try web.fixture.operations.message("test", id).get()["param1"] == "x")
        #expect(web.fixture.workers.kicked == ["test"])
        #expect(web.post("/q/test/new_message", [("mesg", #"{"src":"x"}"#)]).body == #"["fail","input missing required \"dest\" parameter"]"#)
        let prepped = web.post("/q/test/new_message", [("mesg", #"{"dest":"test","_method":"prep"}"#)])
        #expect(prepped.body.hasPrefix(#"["ok",""#))
        #expect(try web.fixture.operations.counts("test").get().prep == 1)
        #expect(web.post("/q/test/new_message", [("mesg", #"{"dest":"test","_method":"bogus"}"#)]).status == 400)
        #expect(web.post("/q/test/new_message", [("mesg", "[1]")]).status == 400)
        #expect(web.post("/q/nope/new_message", [("mesg", "{}")]).status == 404)
    }

    @Test func newMessageOnDownQueueIs503() throws {
        let web = try WebTestClient()
        try web.fixture.markDown("test")
        let refused = web.post("/q/test/new_message", [("mesg", #"{"dest":"test"}"#)])
        #expect(refused.status == 503)
        #expect(refused.body == "503 - Service Unavailable - Operationally Down")
        let json = web.post("/q/test/new_message", [("mesg", #"{"dest":"test"}"#), ("x_format", "json")])
        #expect(json.status == 503)
        #expect(json.body == #"{"error":"503 - Service Unavailable - Operationally Down"}"#)
        #expect(web.get("/q/test.txt").body == "\nstatus: DOWN\n\n")
        #expect(web.post("/q/test/ack_errs", [("x_format", "json")]).status == 503)
    }

    @Test func answerWaitsForTheDurablePoint() throws {
        let web = try WebTestClient()
        web.fixture.durability.batch.add(file: web.fixture.root + "/vanished-\(UUID().uuidString)")
        let failed = web.post("/q/test/new_message", [("mesg", #"{"dest":"test"}"#)])
        #expect(failed.status == 500)
        #expect(failed.body == "500 - could not sync to disk")
        #expect(web.post("/q/test/new_message", [("mesg", #"{"dest":"test"}"#)]).status == 200)
    }

    @Test func htmlNewMessageRedirectsOnlyToLocalPaths() throws {
        let web = try WebTestClient()
        let form = [("x_format", "html"), ("mesg[dest]", "test")]
        let local = web.post("/q/test/new_message", form + [("back", "/q/test?page=2")])
        #expect(local.status == 303)
        #expect(local.header("Location") == "http://127.0.0.1:3333/q/test?page=2")
        #expect(local.header("Set-Cookie")?.hasPrefix("rq_flash=notice:Created") == true)
        for hostile in ["https://evil.example/", "//evil.example/x", "/\\evil.example", "http:/x", "/q\r\nSet-Cookie: a=b", "q/test"] {
            let answer = web.post("/q/test/new_message", form + [("back", hostile)])
            #expect(answer.header("Location") == "http://127.0.0.1:3333/q/test", "back=\(hostile.debugDescription)")
        }
        let page = web.post("/q/test/new_message", form)
        #expect(page.status == 200 && page.body.contains("Created message http://127.0.0.1:3333/q/test/"))
    }

    @Test func adminRoutesRedirectOnlyToLocalPaths() throws {
        let web = try WebTestClient()
        #expect(web.post("/q/test/adminoper", [("pause", "1"), ("back", "https://evil.example/")]).header("Location")
            == "http://127.0.0.1:3333/q/test")
        #expect(web.post("/q/test/adminoper", [("resume", "1"), ("back", "/")]).header("Location") == "http://127.0.0.1:3333/")
        #expect(web.post("/q/test/restart", [("back", "//evil.example")]).header("Location") == "http://127.0.0.1:3333/q/test")
        #expect(web.post("/q/test/ack_errs", [("back", "/q/test/x")]).header("Location") == "http://127.0.0.1:3333/q/test/x")
    }

    @Test func messageRoutes() throws {
        let web = try WebTestClient()
        let id = try web.fixture.prep()
        #expect(web.get("/q/test/\(id)/state.json").body == #"["prep"]"#)
        #expect(web.get("/q/test/20231114.2213.20.500.9.json").status == 404)
        #expect(web.post("/q/test/\(id)", [("_method", "commit"), ("x_format", "json")]).body == #"["ok","msg commited"]"#)
        #expect(web.post("/q/test/\(id)", [("_method", "commit"), ("x_format", "json")]).body == #"["fail","cannot find message"]"#)
        let failed = web.post("/q/test/\(id)", [("_method", "commit")])
        #expect(failed.status == 303)
        #expect(failed.header("Set-Cookie")?.contains("Commit%20got") == true)
        #expect(web.post("/q/test/\(id)", [("_method", "bogus")]).status == 400)
        #expect(web.post("/q/test/\(id)/run_now", [("x_format", "json")]).body == #"["ok","msg sent to front of run queue"]"#)
        let clone = web.post("/q/test/\(id)/clone", [("x_format", "json")])
        #expect(clone.status == 500)
        #expect(clone.body == #"{"error":"500 - Couldn't clone message. [\"fail\", \"cannot clone message in que state\"]."}"#)
        #expect(web.post("/q/test/\(id)", [("_method", "delete"), ("x_format", "json")]).body == #"["ok","msg deleted"]"#)
    }

    @Test func queueRoutes() throws {
        let web = try WebTestClient()
        _ = try web.fixture.create()
        #expect(web.get("/q.json").body == #"["cleaner","debug","relay","rq_router","webhook","test"]"#)
        let status = web.get("/q/test.json")
        #expect(status.body == "{\"status\":\"UP\"\n,\"uptime\":100,\"prep_size\":0,\"que_size\":1,\"run_size\":0,\"done_size\":0,\"err_size\":0,\"relayed_size\":0}\n")
        #expect(web.get("/q/test/done.json").body == "[]")
        #expect(web.get("/q/test/config").body.hasPrefix(#"{"name":"test""#))
        #expect(web.get("/q/nope").status == 404)
        #expect(web.request("PUT", "/q/test").status == 405)
        #expect(web.get("/").body.contains("QUEUE MGR is OPERATIONAL"))
    }
}

@Suite struct RedirectTargetTests {
    @Test func onlyPathsOnThisServer() {
        for local in ["/", "/q/test", "/q/test?x=1#top", "/q/a%2Fb"] { #expect(RedirectTarget.isLocalPath(local), "\(local)") }
        for foreign in ["", "https://evil.example/", "http://evil", "//evil", "/\\evil", "/a\\b", "evil/x", "javascript:alert(1)",
                        "/a\nLocation: x", "/a\u{0}", "/a b"] {
            #expect(!RedirectTarget.isLocalPath(foreign), "\(foreign.debugDescription)")
        }
    }
}

@Suite struct GroupCommitTests {
    @Test func deliversAfterTheFlushAndWithholdsOnFailure() throws {
        let fixture = try CommandFixture()
        let web = try WebTestClient(fixture)
        var answers: [Result<String, QueueError>] = []
        _ = try fixture.prep()
        web.commit.deliver("first") { answers.append($0) }
        #expect(answers.isEmpty, "nothing leaves before the durable point")
        web.commit.flushAndWait()
        #expect(answers == [.success("first")])
        fixture.durability.batch.add(file: fixture.root + "/gone-\(UUID().uuidString)")
        web.commit.deliver("second") { answers.append($0) }
        web.commit.flushAndWait()
        #expect(answers.last == .failure(.notDurable))
    }

    /// The loop goes on while a flush's sync runs on the helper thread: an answer that joins
    /// meanwhile waits for the next flush, which the end of a later iteration starts.
    @Test func answersDuringAFlushWaitForTheNext() throws {
        let fixture = try CommandFixture()
        let web = try WebTestClient(fixture)
        var answers: [String] = []
        _ = try fixture.prep()
        web.commit.deliver("first") { if case .success(let a) = $0 { answers.append(a) } }
        web.commit.flush()
        web.commit.deliver("second") { if case .success(let a) = $0 { answers.append(a) } }
        web.commit.flush() // one flush at a time: this one does not start
        while answers.isEmpty { web.loop.runOnce() }
        #expect(answers == ["first"])
        web.commit.flushAndWait()
        #expect(answers == ["first", "second"])
    }

    /// Files written outside the store (a relay's `relay_id`) are synced by the next flush,
    /// off the loop; a file that cannot be synced is told, not ignored.
    @Test func filesWrittenOutsideTheStoreRideTheNextFlush() throws {
        let fixture = try CommandFixture()
        let web = try WebTestClient(fixture)
        let path = fixture.root + "/relay_id"
        try "id".write(toFile: path, atomically: false, encoding: .utf8)
        var results: [Bool] = []
        web.commit.afterSyncing(files: [path], directories: [fixture.root]) { results.append($0) }
        #expect(results.isEmpty, "the sync happens in the flush, not on the spot")
        web.commit.flushAndWait()
        #expect(results == [true])
        web.commit.afterSyncing(files: [fixture.root + "/gone-\(UUID().uuidString)"]) { results.append($0) }
        web.commit.flushAndWait()
        #expect(results == [true, false])
    }

    /// A reply that finds nothing written since the last flush and no flush running (a read)
    /// goes out at once, without a trip through the sync thread.
    @Test func aReplyWithNothingToSyncGoesOutAtOnce() throws {
        let web = try WebTestClient(try CommandFixture())
        var answers: [String] = []
        web.commit.deliver("read") { if case .success(let a) = $0 { answers.append(a) } }
        #expect(answers == ["read"])
    }
}

@Suite struct WebQueueAdminRouteTests {
    @Test func createAndDeleteQueues() throws {
        let web = try WebTestClient()
        let created = web.post("/new_queue", [("queue[name]", "made"), ("queue[script]", "./s.sh")])
        #expect(created.status == 303)
        #expect(created.header("Location") == "http://127.0.0.1:3333/q/made")
        #expect(created.header("Set-Cookie")?.contains("queue%20created") == true)
        #expect(web.post("/new_queue", [("queue[name]", "made"), ("queue[script]", "./s.sh"), ("x_format", "json")]).body
            == #"["fail","already created"]"#)
        #expect(web.post("/q/made/adminoper", [("down", "1"), ("x_format", "json")]).body == #"["ok","made"]"#)
        #expect(web.post("/q/made/adminoper", [("sideways", "1")]).status == 400)
        #expect(web.post("/delete_queue", [("queue_name", "made"), ("x_format", "json")]).body == #"["ok","started deleting queue"]"#)
        #expect(web.get("/q/made").status == 404)
    }
}

@Suite struct WebUploadRouteTests {
    static let helloMD5 = "b1946ac92492d2347c6235b4d2611184"

    /// An upload as the HTTP layer hands it over: a temp file it has hashed (`md5`).
    private func upload(_ web: WebTestClient, _ text: String, name: String, md5: String = helloMD5) throws -> UploadedFile {
        let path = web.fixture.root + "/tmp/upload-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: web.fixture.root + "/tmp", withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return UploadedFile(fieldName: "filedata", filename: name, path: path, md5: md5, size: Int64(text.utf8.count), contentType: nil)
    }

    @Test func attachTakesTheUploadAndItsTempFileGoes() throws {
        let web = try WebTestClient()
        let id = try web.fixture.prep()
        let file = try upload(web, "hello\n", name: "a.txt")
        let answer = web.request("POST", "/q/test/\(id)/attach/new", fields: [("x_format", "json")], files: [file])
        #expect(answer.body == #"["ok","b1946ac92492d2347c6235b4d2611184-Attached successfully"]"#)
        #expect(!FileManager.default.fileExists(atPath: file.path), "the upload copy is removed once answered")
        #expect(web.get("/q/test/\(id)/attach/a.txt").body == "hello\n")
        let again = try upload(web, "x", name: "a|b")
        #expect(web.request("POST", "/q/test/\(id)/attach/new", fields: [("x_format", "json")], files: [again]).body
            == #"["fail","Attachment name has invalid character. not allowed: a|b"]"#)
        #expect(!FileManager.default.fileExists(atPath: again.path))
        try web.fixture.markDown("test")
        let down = try upload(web, "y", name: "y.txt")
        #expect(web.request("POST", "/q/test/\(id)/attach/new", fields: [("x_format", "json")], files: [down]).status == 503)
    }
}
