import Foundation
import Testing
@testable import RQStore

@Suite struct FileOpsTests {
    /// `parentDirectory` replaced `NSString.deletingLastPathComponent` on the job path: it
    /// must give the same answer for every shape of path the store builds or is given.
    @Test func parentDirectoryMatchesDeletingLastPathComponent() {
        let paths = ["/a/b/c", "/a/b/c/", "/a//b", "/a", "/", "a/b", "/a/b//",
                     "/tmp/rq/queue/q/done/20261206/11/47/20261206.1147.16.640.1124299"]
        for path in paths {
            #expect(FileOps.parentDirectory(path) == (path as NSString).deletingLastPathComponent, "\(path)")
        }
        // Where corelibs Foundation traps ("a") or answers oddly ("//" → ""), by hand.
        #expect(FileOps.parentDirectory("a") == "")
        #expect(FileOps.parentDirectory("") == "")
        #expect(FileOps.parentDirectory("//") == "/")
    }
}
