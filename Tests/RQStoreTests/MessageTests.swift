import Testing
@testable import RQStore

@Suite struct MessageTests {
    let full = "http://127.0.0.1:3333/q/test/20240105.1307.22.123.1"

    @Test func normalisesInput() throws {
        let input: JSONObject = ["dest": "test", "count": "2", "max_count": "3", "due": "1700000000",
                                 "param1": "p1", "param3": ["x": 1], "src": "me", "_method": "put",
                                 "x_format": "json", "force_remote": true, "post_run_webhook": "http://a/1 http://b/2"]
        let message = try Message.fromInput(input, msgID: "20240105.1307.22.123.1", fullID: full, now: 1_800_000_000.7)
        #expect(message.count == 2)
        #expect(message.maxCount == 3)
        #expect(message.due == 1_700_000_000)
        #expect(message.origMsgID == full)
        #expect(message.postRunWebhook == ["http://a/1", "http://b/2"])
        #expect(JSONValue.object(message.json).compactString ==
            #"{"msg_id":"20240105.1307.22.123.1","dest":"test","orig_msg_id":"http://127.0.0.1:3333/q/test/20240105.1307.22.123.1","count":2,"max_count":3,"src":"me","param1":"p1","param3":{"x":1},"post_run_webhook":["http://a/1","http://b/2"],"due":1700000000,"force_remote":true}"#)
    }

    @Test func defaults() throws {
        let message = try Message.fromInput(["dest": "q", "orig_msg_id": "http://x/q/a/b", "count": ""], msgID: "i",
                                            fullID: full, now: 1_800_000_000.7)
        #expect(message.count == 0)
        #expect(message.maxCount == 15)
        #expect(message.due == 1_800_000_000)
        #expect(message.origMsgID == "http://x/q/a/b")
        #expect(message.paramText(1) == "")
        #expect(!message.isForceRemote)
    }

    @Test func destIsRequired() {
        #expect(throws: StoreFailure(#"input missing required "dest" parameter"#)) {
            try Message.fromInput(["src": "x"], msgID: "i", fullID: full, now: 0)
        }
        #expect(Message.checkInput(["dest": 1]) == #"input missing required "dest" parameter"#)
    }

    @Test func toleratesStaleStoredKeys() throws {
        let stored = try JSONValue.parse(#"{"msg_id":"i","dest":"q","count":"4","due":"17.5","path":"queue/q/prep/i","status":"que","state":"que","_attachments":{},"dups":["a"],"dup":"d","cloned_from":"c"}"#)
        let object = try #require(stored.objectValue)
        let message = try #require(Message.fromStored(object))
        #expect(message.count == 4)
        #expect(message.due == 17)
        #expect(message.dups == ["a"])
        #expect(message.json["path"] == nil)
        #expect(Message.fromStored(["dest": "q"]) == nil)
    }

    @Test func paramText() {
        var message = Message(msgID: "i", dest: "q", origMsgID: "o", due: 0)
        message.params = ["a", 5, nil, ["k": "v"]]
        #expect(message.paramText(1) == "a")
        #expect(message.paramText(2) == "5")
        #expect(message.paramText(3) == "")
        #expect(message.paramText(4) == #"{"k":"v"}"#)
        #expect(message.paramText(9) == "")
    }
}
