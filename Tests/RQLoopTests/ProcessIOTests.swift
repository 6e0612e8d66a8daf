import Foundation
import Testing
@testable import RQLoop

@Suite struct ProcessIOTests {
    @Test func readAvailableReportsWouldBlockDataAndEOF() throws {
        var fds: [Int32] = [-1, -1]
        try #require(pipe(&fds) == 0)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        defer { closeDescriptor(fds[0]) }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        #expect(readAvailable(fd: fds[0]) == .wouldBlock)
        #expect(writeNonBlocking(fd: fds[1], bytes: Array("abcdef".utf8)) == .written(6))
        #expect(readAvailable(fd: fds[0], maxBytes: 4) == .data(Array("abcd".utf8)))
        #expect(readAvailable(fd: fds[0]) == .data(Array("ef".utf8)))
        closeDescriptor(fds[1])
        // Poll first: a child being spawned by another test at this moment may hold a copy
        // of the write end until its close-on-exec/closefrom runs.
        waitReadable(fds[0])
        #expect(readAvailable(fd: fds[0]) == .eof)
    }

    @Test func writeNonBlockingStopsWhenThePipeIsFull() throws {
        var fds: [Int32] = [-1, -1]
        try #require(pipe(&fds) == 0)
        defer { closeDescriptor(fds[0]); closeDescriptor(fds[1]) }
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        let big = [UInt8](repeating: 65, count: 1 << 20)
        guard case .written(let count) = writeNonBlocking(fd: fds[1], bytes: big) else {
            Issue.record("expected a partial write")
            return
        }
        #expect(count > 0 && count < big.count)
        #expect(writeNonBlocking(fd: fds[1], bytes: [1]) == .written(0))
    }

    @Test func readAndWriteOnABadDescriptorFail() {
        #expect(readAvailable(fd: -1) == .failed(errno: EBADF))
        #expect(writeNonBlocking(fd: -1, bytes: [1]) == .failed(errno: EBADF))
    }

    @Test func logHeaderTimeHasRubyFormat() {
        let time = SpawnLogHeader.rubyLocalTime(epochSeconds: 1_704_460_042)
        #expect(time.wholeMatch(of: #/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [-+]\d{4}/#) != nil)
    }

    @Test func logHeaderTailNamesTheScriptVerbatim() {
        let tail = SpawnLogHeader.tail(epochSeconds: 1_704_460_042, scriptPath: "/x/it's %s")
        #expect(tail.wholeMatch(of: #/ - \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [-+]\d{4} - RQ START - /x/it's %s\n/#) != nil)
    }

    @Test func signalNamesComeFromLibc() {
        #expect(signalName(SIGTERM) == "SIGTERM")
        #expect(signalName(SIGKILL) == "SIGKILL")
        #expect(signalName(9999) == nil)
    }

    @Test func exitStatusDecodesWaitWords() {
        #expect(RQLoop.ExitStatus(waitStatus: 0) == .exited(0))
        #expect(RQLoop.ExitStatus(waitStatus: 3 << 8) == .exited(3))
        #expect(RQLoop.ExitStatus(waitStatus: 15) == .signaled(15))
        #expect(RQLoop.ExitStatus(waitStatus: 0x80 | 11) == .signaled(11))
        #expect(RQLoop.ExitStatus.exited(0).isSuccess && !RQLoop.ExitStatus.exited(1).isSuccess)
    }
}
