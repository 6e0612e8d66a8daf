import Foundation
import Testing
@testable import RQStore
import TestSupport

/// The sliced count stays exact while messages come and go during the walk.
@Suite struct HashDirCounterTests {
    @Test(arguments: [11, 12, 13, 14])
    func countIsExactWithMovesDuringTheWalk(seed: UInt64) throws {
        try withTempRoot { root in
            var generator = SplitMix64(state: seed)
            let hashDir = HashDir(path: root + "/done")
            func random(_ range: Range<Int>) -> Int { Int.random(in: range, using: &generator) }
            func slot() -> (String, String, String) {
                (String(format: "202611%02d", random(20..<24)), String(format: "%02d", random(0..<3)), String(format: "%02d", random(0..<4)))
            }
            var present: [String] = []
            var serial = 0
            func add() throws -> (String, String, String) {
                let (day, hour, minute) = slot()
                serial += 1
                let path = "\(hashDir.path)/\(day)/\(hour)/\(minute)/\(day).\(hour)\(minute).00.000.\(serial)"
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                present.append(path)
                return (day, hour, minute)
            }
            for _ in 0..<150 { _ = try add() }
            let counter = HashDirCounter(hashDir: hashDir)
            // Days 20..23 exist before the walk lists them; moves also land in days that do not.
            while !counter.isFinished {
                counter.step(budget: random(1..<3))
                for _ in 0..<random(0..<4) {
                    if random(0..<2) == 0 || present.isEmpty {
                        let (day, hour, minute) = try add()
                        counter.adjust(day: day, hour: hour, minute: minute, by: 1)
                    } else {
                        let path = present.remove(at: random(0..<present.count))
                        try FileManager.default.removeItem(atPath: path)
                        let parts = path.dropFirst(hashDir.path.count + 1).split(separator: "/").map(String.init)
                        counter.adjust(day: parts[0], hour: parts[1], minute: parts[2], by: -1)
                    }
                }
            }
            #expect(counter.total == hashDir.count())
            #expect(counter.total == present.count)
        }
    }

    @Test func anEmptyOrMissingHashDirCountsZero() throws {
        try withTempRoot { root in
            let counter = HashDirCounter(hashDir: HashDir(path: root + "/nothing"))
            #expect(counter.step(budget: 1))
            #expect(counter.total == 0)
        }
    }
}
