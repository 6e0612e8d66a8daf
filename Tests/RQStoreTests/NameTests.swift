import Testing
@testable import RQStore

@Suite struct NameTests {
    @Test(arguments: ["test", "test_blocking", "a-b", "Q1", String(repeating: "x", count: 128)])
    func validQueueNames(_ name: String) {
        #expect(QueueName.isValid(name))
    }

    @Test(arguments: ["", "bad que test", "bad.que.test", "bad/que/test", ".hidden", "a\u{0}b", "tab\there",
                      "nl\n", "x*", "a\\b", "q;", "q:", "q@", "q\"", "q(", "q{", "q+", "q=", "q'", "q^", "q`",
                      "q#", "q~", "q?", "q[", "q%", "q|", "q$", "q&", "q<", "q,", "relay.deleted.12",
                      String(repeating: "x", count: 129)])
    func invalidQueueNames(_ name: String) {
        #expect(!QueueName.isValid(name))
    }

    @Test func attachmentNames() {
        #expect(AttachmentName.problem(with: "studio3.jpg") == nil)
        #expect(AttachmentName.problem(with: "a b-c_d.txt") == nil)
        #expect(AttachmentName.problem(with: ".hidden") == .dotFile)
        #expect(AttachmentName.problem(with: "") == .empty)
        for bad in ["a/b", "a..b", "a\u{0}", "x~", "x?", "x[", "x]", "x%", "x|", "x$", "x&", "x<", "x>", "x*", "x\n"] {
            #expect(AttachmentName.problem(with: bad) == .invalidCharacter, "\(bad)")
        }
    }

    @Test func messageIDs() {
        #expect(MessageID.isValid("20240105.1307.22.123.4456712"))
        #expect(MessageID.isValid("20240105.1307.22.123.1"))
        #expect(!MessageID.isValid(".20240105.1307.22.123.4456712"))
        #expect(MessageID.isValid(".20240105.1307.22.123.4456712", allowAcked: true))
        for bad in ["", "20240105.1307.22.123", "20240105.1307.22.123.", "2024010.1307.22.123.1",
                    "20240105.1307.22.123.1/..", "../20240105.1307.22.123.1", "20240105x1307.22.123.1",
                    "20240105.1307.22.123.1a", "２0240105.1307.22.123.1", "..20240105.1307.22.123.1"] {
            #expect(!MessageID.isValid(bad, allowAcked: true), "\(bad)")
        }
    }

    @Test func fullIDParsing() {
        let full = "http://127.0.0.1:3333/q/test/20240105.1307.22.123.4456712"
        #expect(MessageID.shortID(from: full) == "20240105.1307.22.123.4456712")
        #expect(MessageID.queueName(from: full) == "test")
        #expect(MessageID.shortID(from: "20240105.1307.22.123.4456712") == "20240105.1307.22.123.4456712")
        #expect(MessageID.queueName(from: "http://h/q/") == nil)
        #expect(MessageID.shortID(from: "http://h/root/q/test/id.json") == "id.json")
    }

    /// layout.md §1.6.1: the FIRST MATCH of each pattern, which may start past the first `/q/`.
    @Test func fullIDParsingTakesTheFirstMatchNotTheFirstSlashQ() {
        #expect(MessageID.queueName(from: "http://h/q//q/test/id") == "test")
        #expect(MessageID.shortID(from: "http://h/q//q/test/id") == "id")
        #expect(MessageID.queueName(from: "/a/q/x//q/test/id") == "x")
        #expect(MessageID.embeddedShortID(in: "/a/q/x//q/test/id") == "id")
        #expect(MessageID.embeddedShortID(in: "/q/test/id/extra") == "id")
        #expect(MessageID.embeddedShortID(in: "http://h/q/test") == nil)
        #expect(MessageID.embeddedShortID(in: "http://h/q/test/") == nil)
        #expect(MessageID.embeddedShortID(in: "20240105.1307.22.123.4456712") == nil)
        #expect(MessageID.queueName(from: "not-an-id") == nil)
        #expect(MessageID.queueName(from: "/q/q/x") == "q")
        #expect(MessageID.embeddedShortID(in: "/q/q/x") == "x")
        #expect(MessageID.embeddedShortID(in: "/q") == nil)
        #expect(MessageID.queueName(from: "http://h/q/ünï/ïd") == "ünï")
        #expect(MessageID.embeddedShortID(in: "http://h/q/ünï/ïd") == "ïd")
    }

    @Test func hashPaths() {
        #expect(MessageID.hashPath(for: "20240105.1307.22.123.4456712") == "20240105/13/07/20240105.1307.22.123.4456712")
        #expect(MessageID.hashPath(for: "garbage") == nil)
    }
}
