import Foundation
import Testing
@testable import RQStore

@Suite struct AllocatorTests {
    @Test func timestampFormatIsUTC() {
        #expect(MessageTimestamp.format(1_704_460_042.123) == "20240105.1307.22.123")
        #expect(MessageTimestamp.format(0) == "19700101.0000.00.000")
    }

    @Test func tenThousandAllocationsInOneMillisecondAreUnique() throws {
        try withTempRoot { root in
            let prep = root + "/prep"
            try FileManager.default.createDirectory(atPath: prep, withIntermediateDirectories: true)
            let allocator = MessageIDAllocator(prepDirectory: prep, now: { 1_704_460_042.123 })
            var ids = Set<String>()
            for _ in 0..<10_000 {
                let id = try allocator.allocate()
                #expect(MessageID.isValid(id))
                ids.insert(id)
            }
            #expect(ids.count == 10_000)
            #expect(ids.allSatisfy { $0.hasPrefix("20240105.1307.22.123.") })
            let entries = try FileManager.default.contentsOfDirectory(atPath: prep)
            #expect(Set(entries) == ids)
        }
    }

    @Test func leftoverTemporaryDirIsSkipped() throws {
        try withTempRoot { root in
            let prep = root + "/prep"
            try FileManager.default.createDirectory(atPath: prep + "/_20240105.1307.22.123.1", withIntermediateDirectories: true)
            let allocator = MessageIDAllocator(prepDirectory: prep, now: { 1_704_460_042.123 })
            let id = try allocator.allocate()
            #expect(MessageID.isValid(id))
            #expect(exists(prep + "/" + id))
        }
    }

    @Test func missingPrepDirFails() {
        let allocator = MessageIDAllocator(prepDirectory: "/tmp/does-not-exist-\(UUID().uuidString)", now: { 0 })
        #expect(throws: FileError.self) { try allocator.allocate() }
    }
}

@Suite struct HashDirTests {
    @Test func listsNewestFirstWithLimitAndCounts() throws {
        try withTempRoot { root in
            let hash = HashDir(path: root + "/done")
            let ids = ["20240105.1307.22.123.5", "20240105.1307.22.124.6", "20240105.1308.00.000.7",
                       "20240106.0001.00.000.8", "20231231.2359.59.999.9", "20240105.0907.22.123.10"]
            for id in ids {
                let path = try #require(hash.messagePath(for: id))
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            }
            #expect(hash.messagePath(for: ids[0]) == root + "/done/20240105/13/07/20240105.1307.22.123.5")
            // Entries outside the globs and dot entries are never listed.
            try FileManager.default.createDirectory(atPath: root + "/done/20240105/13/07/.20240105.1307.22.123.11", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: root + "/done/junk/13/07/20240105.1307.22.123.12", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: root + "/done/20240105/1/07/20240105.1307.22.123.13", withIntermediateDirectories: true)
            let all = hash.entries()
            #expect(all == ids.sorted(by: >))
            #expect(all == all.sorted().reversed())
            #expect(hash.entries(limit: 2) == ["20240106.0001.00.000.8", "20240105.1308.00.000.7"])
            #expect(hash.entries(limit: 0) == [])
            #expect(hash.count() == 6)
            #expect(HashDir(path: root + "/missing").count() == 0)
        }
    }
}

@Suite struct DurableBatchTests {
    @Test func flushFollowsRenamedEntries() throws {
        try withTempRoot { root in
            let batch = DurableBatch()
            try write("x", to: root + "/a/msg")
            batch.add(file: root + "/a/msg")
            batch.add(directory: root + "/a")
            batch.add(directory: root + "/a")
            #expect(batch.pendingCount == 2)
            try FileManager.default.moveItem(atPath: root + "/a", toPath: root + "/b")
            try batch.flush()
            #expect(batch.isEmpty)
        }
    }

    @Test func switchesToSyncfsPastThreshold() throws {
        try withTempRoot { root in
            let batch = DurableBatch(syncfsThreshold: 4)
            for n in 0..<10 {
                try write("x", to: root + "/f\(n)")
                batch.add(file: root + "/f\(n)")
            }
            #expect(batch.pendingCount == 0)
            #expect(!batch.isEmpty)
            try batch.flush()
            #expect(batch.isEmpty)
        }
    }

    @Test func missingPathIsReportedAtFlush() throws {
        let batch = DurableBatch()
        batch.add(file: "/tmp/no-such-file-\(UUID().uuidString)")
        #expect(throws: FileError.self) { try batch.flush() }
        #expect(batch.isEmpty)
        try batch.flush()
    }
}
