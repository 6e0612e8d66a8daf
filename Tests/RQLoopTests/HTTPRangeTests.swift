import Testing
@testable import RQLoop

@Test func rangeParsingFollowsRackFile() {
    #expect(HTTPRange.parse("bytes=0-9", size: 100) == .partial(start: 0, end: 9))
    #expect(HTTPRange.parse("bytes=10-", size: 100) == .partial(start: 10, end: 99))
    #expect(HTTPRange.parse("bytes=-10", size: 100) == .partial(start: 90, end: 99))
    #expect(HTTPRange.parse("bytes=-1000", size: 100) == .partial(start: 0, end: 99))
    #expect(HTTPRange.parse("bytes=90-1000", size: 100) == .partial(start: 90, end: 99))
    #expect(HTTPRange.parse(" Bytes=5-5 ", size: 100) == .partial(start: 5, end: 5))
    #expect(HTTPRange.parse("bytes=0-99999999999999999999999", size: 100) == .partial(start: 0, end: 99))
}

@Test func unsatisfiableRangesAre416() {
    #expect(HTTPRange.parse("bytes=100-", size: 100) == .unsatisfiable)
    #expect(HTTPRange.parse("bytes=200-300", size: 100) == .unsatisfiable)
    #expect(HTTPRange.parse("bytes=-0", size: 100) == .unsatisfiable)
    #expect(HTTPRange.parse("bytes=0-", size: 0) == .unsatisfiable)
    #expect(HTTPRange.parse("bytes=99999999999999999999-", size: 100) == .unsatisfiable)
    #expect(HTTPRange.contentRange(.unsatisfiable, size: 100) == "bytes */100")
    #expect(HTTPRange.contentRange(.partial(start: 0, end: 9), size: 100) == "bytes 0-9/100")
    #expect(HTTPRange.contentRange(.full, size: 100) == nil)
}

@Test func invalidOrMultipleRangesServeTheFullBody() {
    #expect(HTTPRange.parse("", size: 100) == .full)
    #expect(HTTPRange.parse("items=0-9", size: 100) == .full)
    #expect(HTTPRange.parse("bytes=abc", size: 100) == .full)
    #expect(HTTPRange.parse("bytes=-", size: 100) == .full)
    #expect(HTTPRange.parse("bytes=9-0", size: 100) == .full)
    #expect(HTTPRange.parse("bytes=0-1,5-6", size: 100) == .full)
    #expect(HTTPRange.parse("bytes=1-2-3", size: 100) == .full)
    // A second range that is unsatisfiable drops out, leaving one.
    #expect(HTTPRange.parse("bytes=0-1, 500-600", size: 100) == .partial(start: 0, end: 1))
}
