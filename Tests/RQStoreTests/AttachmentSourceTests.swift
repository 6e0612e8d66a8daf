import Foundation
import Testing
@testable import RQStore

/// The attachment checks the queue and the CLI share.
struct AttachmentSourceTests {
    private func reason(_ path: String) -> String? {
        do {
            try AttachmentSource.check(path)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func refusesWithTheOriginalTexts() throws {
        try withTempRoot { root in
            #expect(reason(root + "/nope") == "No such file \(root)/nope to attach to message")
            #expect(reason(root + "/nope\0x") == "No such file \(root)/nope\0x to attach to message")
            #expect(reason(root) == "Attachment currently cannot be a directory \(root)")
            #expect(reason("/dev/null") == "Attachment currently not of supported type: /dev/null")
            try FileManager.default.createSymbolicLink(atPath: root + "/dangling", withDestinationPath: root + "/nope")
            #expect(reason(root + "/dangling") == "No such file \(root)/dangling to attach to message")
        }
    }

    @Test func acceptsRegularFilesFollowingSymlinks() throws {
        try withTempRoot { root in
            try write("four", to: root + "/f.txt")
            try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: root + "/f.txt")
            #expect(try AttachmentSource.check(root + "/f.txt").st_size == 4)
            #expect(try AttachmentSource.check(root + "/link").st_size == 4)
        }
    }
}
