import Foundation
import Testing
@testable import RQStore

/// An attachment is hashed once: the digest follows its inode through state moves and clones
/// (DigestCache) and survives a restart in its `.md5` sidecar (DigestSidecar).
@Suite struct AttachmentDigestTests {
    static let fake = "0123456789abcdef0123456789abcdef"

    func md5(_ message: JSONObject, _ name: String) -> String? {
        message["_attachments"]?.objectValue?[name]?.objectValue?["md5"]?.stringValue
    }

    @Test func theDigestFollowsTheInodeThroughStateMoves() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let id = shortID(try store.prepMessage(["dest": "test"]))
            try write("hello\n", to: root + "/a.txt")
            _ = try store.attach(msgID: id, pathname: root + "/a.txt", name: nil)
            try store.commit(id)
            // Plant a different digest for the inode: a rehash would not return it.
            let queued = root + "/queue/test/que/\(id)/attach/a.txt"
            store.digests.record(try FileOps.status(queued), md5: Self.fake)
            #expect(md5(try store.getMessage(id), "a.txt") == Self.fake)
        }
    }

    @Test func aRestartedStoreReadsTheSidecarInsteadOfHashing() throws {
        try withTempRoot { root in
            let store = try makeStore(root: root)
            let id = shortID(try store.prepMessage(["dest": "test"]))
            try write("hello\n", to: root + "/a.txt")
            #expect(try store.attach(msgID: id, pathname: root + "/a.txt", name: nil) == "b1946ac92492d2347c6235b4d2611184")
            let attached = root + "/queue/test/prep/\(id)/attach/a.txt"
            let sidecar = root + "/queue/test/prep/\(id)/attach/.a.txt.md5"
            #expect(exists(sidecar))
            #expect(store.attachments(inMessageDirectory: root + "/queue/test/prep/\(id)").map(\.name) == ["a.txt"])

            // A new store (restart) with an empty cache trusts a sidecar that matches the file.
            try DigestSidecar.write(Self.fake, for: attached, try FileOps.status(attached))
            let restarted = try makeStore(root: root)
            #expect(md5(try restarted.getMessage(id), "a.txt") == Self.fake)

            // The file changed: the sidecar no longer matches, the file is hashed and recorded again.
            try write("hello again\n", to: root + "/a.txt")  // same inode (hard link), new content
            let again = try makeStore(root: root)
            let real = try FileDigest(path: attached).finish()
            #expect(md5(try again.getMessage(id), "a.txt") == real)
            #expect(DigestSidecar.read(for: attached, matching: try FileOps.status(attached)) == real)

            // Deleting the attachment deletes its sidecar.
            try again.deleteAttachment(msgID: id, name: "a.txt")
            #expect(!exists(sidecar))
        }
    }

    @Test func tornOrForeignSidecarsAreIgnored() throws {
        try withTempRoot { root in
            let file = root + "/f.bin"
            try write("data", to: file)
            let st = try FileOps.status(file)
            for junk in ["", "\0\0\0\0", "nothex \(st.st_ino) 4 0 0\n", DigestSidecar.line(md5: Self.fake, st).dropLast(3) + "\n"] {
                try write(String(junk), to: DigestSidecar.path(for: file))
                #expect(DigestSidecar.read(for: file, matching: st) == nil, "\(junk.debugDescription)")
            }
            try DigestSidecar.write(Self.fake, for: file, st)
            #expect(DigestSidecar.read(for: file, matching: st) == Self.fake)
        }
    }

    @Test func clonesShareTheSidecar() throws {
        try withTempRoot { root in
            let clock = TestClock()
            let store = try makeStore(root: root, clock: clock)
            let id = shortID(try store.prepMessage(["dest": "test"]))
            try write("hello\n", to: root + "/a.txt")
            _ = try store.attach(msgID: id, pathname: root + "/a.txt", name: nil)
            try store.commit(id)
            let started = try store.moveToRun(id)
            try store.finish(id, as: .done, message: nil)
            _ = started
            let cloneID = shortID(try store.cloneMessage(id))
            let cloneDir = try #require(store.path(of: cloneID, in: .que))
            #expect(exists(cloneDir + "/attach/.a.txt.md5"))
            #expect(md5(try makeStore(root: root, clock: clock).getMessage(cloneID), "a.txt") == "b1946ac92492d2347c6235b4d2611184")
        }
    }
}
