import Testing
@testable import RQServer
import RQStore

/// `QueueError`'s three mappings: rq1 reply, HTTP status + text, page text.
@Suite struct QueueErrorTests {
    @Test func rq1Replies() {
        let expected: [(QueueError, String)] = [
            (.noSuchQueue, #"["fail","no such queue"]"#),
            (.down, #"["fail","status: DOWN"]"#),
            (.lacking(field: "msg_id"), #"["fail","lacking 'msg_id' field"]"#),
            (.msgNotFound, #"["fail","msg not found"]"#),
            (.alreadyRunning, #"["fail","msg already running"]"#),
            (.notRunnable, #"["fail","msg not in runnable state"]"#),
            (.notDurable, #"["fail","could not sync message to disk"]"#),
            (.refused("cannot find message"), #"["fail","cannot find message"]"#),
            (.refused(#"say "hi"/\"#), #"["fail","say \"hi\"/\\"]"#),
        ]
        for (error, reply) in expected { #expect(error.rq1Reply == reply) }
    }

    @Test func httpStatusAndText() {
        #expect(QueueError.noSuchQueue.httpStatus == 404)
        #expect(QueueError.noSuchQueue.httpText == "404 - Queue not found")
        #expect(QueueError.down.httpStatus == 503)
        #expect(QueueError.down.httpText == "503 - Service Unavailable - Operationally Down")
        #expect(QueueError.notDurable.httpStatus == 500)
        #expect(QueueError.notDurable.httpText == "500 - could not sync to disk")
        for answered in [QueueError.msgNotFound, .alreadyRunning, .notRunnable, .lacking(field: "x"), .refused("no")] {
            #expect(answered.httpStatus == 200, "the route answers with the queue's reply")
            #expect(answered.httpText == answered.reason)
        }
    }

    @Test func pageText() {
        #expect(QueueError.msgNotFound.pageText == #"["fail", "msg not found"]"#)
        #expect(QueueError.refused(#"a "b""#).pageText == #"["fail", "a \"b\""]"#)
    }

    @Test func fromThrownErrors() {
        #expect(QueueError(StoreFailure("msg is running")) == .refused("msg is running"))
        #expect(QueueError(QueueError.down) == .down)
    }
}
