import Testing
@testable import RQServer
import RQStore

@Suite struct WorkerStatusLineParserTests {
    @Test func linesSplitByteByByteComeOutWhole() {
        var parser = StatusLineParser()
        var lines: [String] = []
        for byte in Array("run hi\ndone ok\n".utf8) {
            lines += parser.feed([byte]).map(\.text)
        }
        #expect(lines == ["run hi", "done ok"])
        #expect(parser.finish() == nil)
    }

    @Test func manyLinesInOneChunkAndAPartialTail() {
        var parser = StatusLineParser()
        #expect(parser.feed(Array("run 1\nrun 2\n\nru".utf8)).map(\.text) == ["run 1", "run 2", ""])
        #expect(parser.bufferedByteCount == 2)
        #expect(parser.feed(Array("n 3\ndone".utf8)).map(\.text) == ["run 3"])
        #expect(parser.finish() == StatusLineParser.Line(text: "done"))
        #expect(parser.finish() == nil)
    }

    @Test func multiByteCharacterSplitAcrossReads() {
        var parser = StatusLineParser()
        let bytes = Array("done caf\u{E9}\n".utf8)
        #expect(parser.feed(bytes[..<9]).isEmpty)
        #expect(parser.feed(bytes[9...]).map(\.text) == ["done caf\u{E9}"])
    }

    @Test func overlongLineIsTruncatedAndReported() {
        var parser = StatusLineParser(maxLineBytes: 8)
        #expect(parser.feed(Array("done 12345".utf8)).isEmpty)
        #expect(parser.bufferedByteCount == 8)
        let lines = parser.feed(Array("6789\nrun x\n".utf8))
        #expect(lines == [StatusLineParser.Line(text: "done 123", droppedByteCount: 6),
                          StatusLineParser.Line(text: "run x")])
        #expect(parser.feed(Array("0123456789abc".utf8)).isEmpty)
        #expect(parser.finish() == StatusLineParser.Line(text: "01234567", droppedByteCount: 5))
    }
}

@Suite struct WorkerStatusReportTests {
    @Test func awkStyleSplit() {
        #expect(StatusReport(parsing: "done ok") == StatusReport(command: .done, text: "ok"))
        #expect(StatusReport(parsing: "done") == StatusReport(command: .done, text: nil))
        #expect(StatusReport(parsing: "done ") == StatusReport(command: .done, text: ""))
        #expect(StatusReport(parsing: "  run \t a  b  ") == StatusReport(command: .run, text: "a  b  "))
        #expect(StatusReport(parsing: "") == StatusReport(command: .blank, text: nil))
        #expect(StatusReport(parsing: " \t ") == StatusReport(command: .blank, text: nil))
        #expect(StatusReport(parsing: "done ok\r") == StatusReport(command: .done, text: "ok\r"))
    }

    @Test func commands() {
        #expect(StatusReport(parsing: "err by design").command == .err)
        #expect(StatusReport(parsing: "fails badly").command == .err)
        #expect(StatusReport(parsing: "relayed http://h:1/q/x/1").command == .relayed)
        #expect(StatusReport(parsing: "fail nope").command == .unknown("fail"))
        #expect(StatusReport(parsing: "DONE x").command == .unknown("DONE"))
    }

    @Test func resendDelayIsRubyToIOfTheTextBeforeTheFirstDash() {
        #expect(StatusReport(parsing: "resend 300-Memcached not responding.").command == .resend(delaySeconds: 300))
        #expect(StatusReport(parsing: "resend 2").command == .resend(delaySeconds: 2))
        #expect(StatusReport(parsing: "resend 0").command == .resend(delaySeconds: 0))
        #expect(StatusReport(parsing: "resend soon-ish").command == .resend(delaySeconds: 0))
        #expect(StatusReport(parsing: "resend 12abc-x").command == .resend(delaySeconds: 12))
        #expect(StatusReport(parsing: "resend 1_000").command == .resend(delaySeconds: 1000))
        #expect(StatusReport(parsing: "resend -5").command == .resend(delaySeconds: 0))
        #expect(StatusReport(parsing: "resend").command == .resend(delaySeconds: 0))
        #expect(StatusReport(parsing: "resend 99999999999999999999999").command == .resend(delaySeconds: Int(Int32.max)))
    }

    @Test func dupGrammar() {
        #expect(StatusReport(parsing: "dup 0-X-test_nop").command
            == .dup(DupRequest(delaySeconds: 0, flag: "X", destination: "test_nop")))
        let url = StatusReport(parsing: "dup 5-X-http://127.0.0.1:3333/q/test-nop").command
        #expect(url == .dup(DupRequest(delaySeconds: 5, flag: "X", destination: "http://127.0.0.1:3333/q/test-nop")))
        if case .dup(let request) = url { #expect(request.targetQueue == "relay") }
        #expect(DupRequest(delaySeconds: 0, flag: "X", destination: "https://h/q/a").targetQueue == "relay")
        #expect(DupRequest(delaySeconds: 0, flag: "X", destination: "test_nop").targetQueue == "test_nop")
        #expect(StatusReport(parsing: "dup x-Y-q").command == .dup(DupRequest(delaySeconds: 0, flag: "Y", destination: "q")))
    }

    @Test func malformedDupIsInvalidNotACrash() {
        for line in ["dup", "dup 0", "dup 0-X", "dup 0-X-"] {
            guard case .invalid(let command, let reason) = StatusReport(parsing: line).command else {
                Issue.record("\(line) should be invalid")
                continue
            }
            #expect(command == "dup")
            #expect(reason.hasPrefix("dup failed - "))
        }
        #expect(StatusReport(parsing: "dup 0-X").text == "0-X")
    }

    @Test func onlyTerminalCommandsRecordACompletion() {
        #expect(StatusCommand.done.completion == .done)
        #expect(StatusCommand.err.completion == .err)
        #expect(StatusCommand.relayed.completion == .relayed)
        #expect(StatusCommand.resend(delaySeconds: 4).completion == .resend(delaySeconds: 4))
        for command: StatusCommand in [.blank, .run, .unknown("fail"), .invalid(command: "dup", reason: "r"),
                                       .dup(DupRequest(delaySeconds: 0, flag: "X", destination: "q"))] {
            #expect(command.completion == nil)
        }
    }

    @Test func dupRepliesAreSingleLines() {
        #expect(DupReply.ok(fullId: "http://h:1/q/a/1").line == "ok http://h:1/q/a/1\n")
        #expect(DupReply.fail(reason: "couldn't connect to queue - nope").line == "fail couldn't connect to queue - nope\n")
        #expect(DupReply.fail(reason: "two\nlines\r\n").line == "fail two lines \n")
    }
}

/// Numbers no Int can hold must not trap (a plain `Int(_:)` on a Double does).
@Suite struct HugeNumberTests {
    @Test func intValueRefusesNumbersOutsideInt() throws {
        #expect(JSONValue.number(42.9).intValue == 42)
        #expect(JSONValue.number(-3).intValue == -3)
        #expect(JSONValue.number(1e300).intValue == nil)
        #expect(JSONValue.number(.infinity).intValue == nil)
        #expect(JSONValue.number(.nan).intValue == nil)
        #expect((try? JSONValue.parse("[1e400]"))?[0]?.intValue == nil)
    }

    @Test func timeoutDescriptionsPrintAnySeconds() {
        #expect(RunState.describe(seconds: 5) == "5")
        #expect(RunState.describe(seconds: 0.5) == "0.5")
        #expect(RunState.describe(seconds: 1e300) == "1e+300")
    }
}
