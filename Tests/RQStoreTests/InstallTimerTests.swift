import Foundation
import Testing
@testable import RQStore

/// `install` links the cleaner's daily timer, first due one day after installing.
@Suite struct InstallTimerTests {
    @Test func cleanerTimerIsLinkedAndItsFirstRunIsADayAway() throws {
        try withTempRoot { root in
            let before = Date().timeIntervalSince1970
            try Installation.install(root: root)
            let timers = TimerDirectory(root: root)
            let (files, unreadable) = timers.definitions()
            #expect(unreadable.isEmpty)
            #expect(files.keys.sorted() == ["cleaner"])
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/timers/cleaner.json")
                == "../default_scripts/cleaner/timer.json")
            let last = try #require(timers.loadState()["cleaner"])
            #expect(last >= before.rounded(.down) && last <= Date().timeIntervalSince1970)
        }
    }

    @Test func anOperatorsOwnTimerAndStateAreKept() throws {
        try withTempRoot { root in
            try write(#"{"period":3600,"msg":{"dest":"cleaner"}}"#, to: root + "/timers/cleaner.json")
            try write(#"{"cleaner":5}"#, to: root + "/timers/.state.json")
            try Installation.install(root: root)
            #expect(try read(root + "/timers/cleaner.json") == #"{"period":3600,"msg":{"dest":"cleaner"}}"#)
            #expect(TimerDirectory(root: root).loadState() == ["cleaner": 5])
        }
    }
}
