import Foundation
import Testing
@testable import RQServer
import RQStore

@Suite struct QueueCommandsTests {
    let base = "http://127.0.0.1:3333/q/test/"

    @Test func alwaysAnsweredCommands() throws {
        let f = try CommandFixture()
        #expect(f.q("ping") == #"["pong"]"#)
        #expect(f.q("uptime") == "[100]")
        #expect(f.q("config") ==
            #"["ok",{"name":"test","script":"./test/test_script.sh","num_workers":1,"exec_prefix":"","env_vars":{},"coalesce_params":[],"blocking_params":[]}]"#)
        #expect(f.q("status") == #"["UP"]"#)
        #expect(f.workers.kicked == ["test"])
        #expect(f.q("shutdown") == #"["ok"]"#)
        #expect(f.q("bogus") == #"[ "ERROR" ]"#)
        #expect(f.q("ping", queue: "nope") == #"["fail","no such queue"]"#)
    }

    @Test func downRule() throws {
        let f = try CommandFixture()
        try "".write(toFile: f.root + "/config/test.down", atomically: true, encoding: .utf8)
        #expect(f.q("status") == #"["DOWN"]"#)
        #expect(f.q("ping") == #"["pong"]"#)
        #expect(f.q("config").hasPrefix(#"["ok",{"#))
        for command in ["create_message", "num_messages", "messages", "get_message", "bogus", "ack_errs"] {
            #expect(f.q(command, #"{"dest":"test"}"#) == #"["fail","status: DOWN"]"#)
        }
        try FileManager.default.removeItem(atPath: f.root + "/config/test.down")
        try "".write(toFile: f.root + "/config/test.pause", atomically: true, encoding: .utf8)
        #expect(f.q("status") == #"["PAUSE"]"#)
        #expect(f.workers.kicked.isEmpty)
        #expect(f.q("create_message", #"{"dest":"test"}"#).hasPrefix(#"["ok","\#(base)"#))
        f.registry.queue("test")?.operStatus = .scriptError
        #expect(f.q("status") == #"["SCRIPTERROR"]"#)
    }

    @Test func createPrepSingleQue() throws {
        let f = try CommandFixture()
        let reply = f.q("create_message", #"{"dest":"test","param1":"x"}"#)
        #expect(reply.hasPrefix(#"["ok","http://127.0.0.1:3333/q/test/20231114.2213.20.500."#))
        #expect(f.workers.kicked == ["test"])
        #expect(f.q("single_que", #"{"dest":"test"}"#) == reply)
        #expect(f.q("create_message", #"{"src":"x"}"#) == #"["fail","input missing required \"dest\" parameter"]"#)
        #expect(f.q("create_message", "garbage") == #"["fail","input missing required \"dest\" parameter"]"#)
        #expect(f.q("prep_message", "[]") == #"["fail","input missing required \"dest\" parameter"]"#)
        let prepped = try f.prep()
        #expect(f.q("get_message_state", #"{"msg_id":"\#(prepped)"}"#) == #"["ok","prep"]"#)
        #expect(f.q("num_messages") == #"{"prep":1,"que":1,"run":0,"done":0,"relayed":0,"err":0}"#)
    }

    @Test func msgIDArgumentChecks() throws {
        let f = try CommandFixture()
        let lacking = #"["fail","lacking 'msg_id' field"]"#
        for command in ["commit_message", "get_message", "get_message_state", "get_message_status", "delete_message",
                        "destroy_message", "run_message", "clone_message", "attach_message", "delete_attach_message"] {
            #expect(f.q(command, "{}") == lacking, "\(command)")
            #expect(f.q(command, "") == lacking, "\(command)")
            #expect(f.q(command, "nope{") == lacking, "\(command)")
            #expect(f.q(command, #"{"msg_id":5}"#) == lacking, "\(command)")
            #expect(f.q(command, #"["msg_id"]"#) == lacking, "\(command)")
        }
        let unknown = #"{"msg_id":"20231114.2213.20.500.1"}"#
        #expect(f.q("get_message", unknown) == #"["fail","msg not found"]"#)
        #expect(f.q("get_message_state", unknown) == #"["fail","msg not found"]"#)
        #expect(f.q("get_message_status", unknown) == #"["fail","msg not found"]"#)
        #expect(f.q("delete_message", unknown) == #"["fail","msg not found"]"#)
        #expect(f.q("destroy_message", unknown) == #"["fail","msg not found"]"#)
        #expect(f.q("run_message", unknown) == #"["fail","msg not found"]"#)
        #expect(f.q("clone_message", unknown) == #"["fail","msg not found"]"#)
        #expect(f.q("commit_message", unknown) == #"["fail","cannot find message"]"#)
        #expect(f.q("get_message", #"{"msg_id":"../../../etc"}"#) == #"["fail","msg not found"]"#)
    }

    @Test func twoPhaseWithAttachment() throws {
        let f = try CommandFixture()
        let id = try f.prep()
        let file = f.root + "/studio3.jpg"
        try "hello\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(f.q("attach_message", #"{"msg_id":"\#(id)","pathname":"\#(file)"}"#) ==
            #"["ok","b1946ac92492d2347c6235b4d2611184-Attached successfully"]"#)
        #expect(f.q("attach_message", #"{"msg_id":"\#(id)"}"#) == #"["fail","lacking 'pathname' field"]"#)
        #expect(f.q("attach_message", #"{"msg_id":"\#(id)","pathname":"rel"}"#) ==
            #"["fail","Invalid pathname, must be normalized rel (ie. must start with /"]"#)
        #expect(f.q("attach_message", #"{"msg_id":"\#(id)","pathname":"\#(file)","name":"a|b"}"#) ==
            #"["fail","Attachment name has invalid character. not allowed: a|b"]"#)
        let message = try JSONValue.parse(f.q("get_message", #"{"msg_id":"\#(base)\#(id)"}"#))
        let attachments = message.arrayValue?.last?["_attachments"]?.objectValue
        #expect(attachments?["studio3.jpg"]?["md5"] == "b1946ac92492d2347c6235b4d2611184")
        #expect(attachments?["studio3.jpg"]?["size"] == 6)
        #expect(f.q("attach_message", #"{"msg_id":"\#(id)","pathname":"\#(file)","name":"x.jpg"}"#).hasPrefix(#"["ok""#))
        #expect(f.q("delete_attach_message", #"{"msg_id":"\#(id)","attachment_name":"x.jpg"}"#) ==
            #"["ok","Attachment deleted successfully"]"#)
        #expect(f.q("delete_attach_message", #"{"msg_id":"\#(id)","attachment_name":"x.jpg"}"#) ==
            #"["fail","No attachment with that named for msg"]"#)
        #expect(f.q("delete_attach_message", #"{"msg_id":"\#(id)"}"#) == #"["fail","lacking 'attachment_name' field"]"#)
        #expect(f.q("commit_message", #"{"msg_id":"\#(id)"}"#) == #"["ok","msg commited"]"#)
        #expect(f.workers.kicked == ["test"])
        #expect(f.q("commit_message", #"{"msg_id":"\#(id)"}"#) == #"["fail","cannot find message"]"#)
        #expect(f.q("attach_message", #"{"msg_id":"\#(id)","pathname":"\#(file)"}"#) == #"["fail","cannot find message"]"#)
        #expect(f.q("delete_attach_message", #"{"msg_id":"\#(id)","attachment_name":"studio3.jpg"}"#) ==
            #"["fail","msg not in prep"]"#)
        #expect(f.q("get_message_status", #"{"msg_id":"\#(id)"}"#) ==
            #"["ok",{"path":"queue/test/que/\#(id)","status":"que","state":"que"}]"#)
    }

    @Test func runDestroyDeleteClone() throws {
        let f = try CommandFixture()
        let id = try f.create()
        let arg = #"{"msg_id":"\#(id)"}"#
        #expect(f.q("run_message", arg) == #"["ok","msg sent to front of run queue"]"#)
        let store = try #require(f.registry.queue("test"))
        try store.moveToRun(id)
        #expect(f.q("run_message", arg) == #"["fail","msg already running"]"#)
        #expect(f.q("delete_message", arg) == #"["fail","msg is running"]"#)
        #expect(f.q("clone_message", arg) == #"["fail","cannot clone message in run state"]"#)
        #expect(f.q("destroy_message", arg) == #"["ok","msg destroyed"]"#)
        #expect(f.workers.destroyed.map(\.1) == [id])
        f.workers.destroyResult = false
        #expect(f.q("destroy_message", arg) == #"["fail","msg not found"]"#)
        try store.writeJobStatus(id, "working")
        #expect(f.q("messages", #"{"state":"run"}"#) == #"[["\#(id)","working"]]"#)
        try store.finish(id, as: .done, jobStatus: "done sleeping")
        #expect(f.q("get_message_status", arg) ==
            #"["ok",{"path":"queue/test/done/20231114/22/13/\#(id)","status":"done - done sleeping","state":"done"}]"#)
        #expect(f.q("run_message", arg) == #"["fail","msg not in runnable state"]"#)
        #expect(f.q("destroy_message", arg) == #"["fail","msg not found"]"#)
        let cloneReply = try JSONValue.parse(f.q("clone_message", arg))
        #expect(cloneReply.arrayValue?.first == "ok")
        #expect(cloneReply.arrayValue?.last?.stringValue?.hasPrefix(base) == true)
        #expect(f.q("messages", #"{"state":"done"}"#) == #"["\#(id)"]"#)
        #expect(f.q("delete_message", arg) == #"["ok","msg deleted"]"#)
        #expect(f.q("messages", #"{"state":"done"}"#) == "[]")
    }

    @Test func messagesAndAckErrs() throws {
        let f = try CommandFixture()
        let a = try f.create(#"{"dest":"test","due":"1700000100"}"#)
        let b = try f.create(#"{"dest":"test","due":1700000200}"#)
        #expect(f.q("messages", #"{"state":"que"}"#) == #"[["\#(b)",1700000200],["\#(a)",1700000100]]"#)
        #expect(f.q("messages", #"{"state":"que","limit":"1"}"#) == #"[["\#(b)",1700000200]]"#)
        #expect(f.q("messages", #"{"state":"prep","limit":"x"}"#) == "[]")
        #expect(f.q("messages", #"{"state":"nope"}"#) == #"["fail","invalid or missing 'state' field (nope)"]"#)
        #expect(f.q("messages", "{}") == #"["fail","invalid or missing 'state' field ()"]"#)
        #expect(f.q("messages", "oops") == #"["fail","invalid or missing 'state' field ()"]"#)
        let store = try #require(f.registry.queue("test"))
        try store.moveToRun(a)
        try store.finish(a, as: .err, jobStatus: "by design")
        #expect(f.q("messages", #"{"state":"err"}"#) == #"["\#(a)"]"#)
        #expect(f.q("ack_errs", "test") == #"["ok",1]"#)
        #expect(f.q("ack_errs") == #"["ok",0]"#)
        #expect(f.q("messages", #"{"state":"errack"}"#) == #"[".\#(a)"]"#)
        #expect(f.q("get_message_state", #"{"msg_id":".\#(a)"}"#) == #"["ok","err"]"#)
    }
}
