import Foundation

extension JournalDurability {
    /// Replays the records after the last checkpoint into the directories, then checkpoints
    /// at once so the next crash replays only what follows. A bad record stops the replay: a
    /// torn one at the very end is an unacknowledged write cut short and is dropped; any other
    /// is logged as a problem and the journal is kept aside in `journal/corrupt-<time>/`
    /// for an operator, never guessed past.
    public func recover() -> DurabilityRecovery {
        var report = DurabilityRecovery()
        do { try FileOps.makeDirectories(directory) } catch {
            report.problems.append("journal: \(error.description)")
            return report
        }
        var replay = JournalReplay(root: root)
        let files = contiguousSegments()
        let start = JournalCheckpoint.read(directory: directory)
        var corrupt = false
        var count = 0
        scanning: for (index, file) in files.enumerated() {
            if let start, file.sequence < start.sequence { continue }
            let bytes: [UInt8]
            do { bytes = try FileOps.readFile(file.path) } catch {
                report.problems.append("journal: \(error.description); replay stopped there")
                corrupt = true
                break
            }
            let offset = start.map { file.sequence == $0.sequence ? min($0.offset, bytes.count) : 0 } ?? 0
            let scan = JournalScan(Array(bytes[offset...]))
            for record in scan.records { replay.fold(record) }
            count += scan.records.count
            let laterRecords = files[(index + 1)...].contains { JournalSegment.hasRecords($0.path) }
            switch scan.end {
            case .clean:
                continue
            case .torn(let at) where !laterRecords:
                report.repaired.append("journal: torn last record at \(file.path):\(offset + at) dropped (never acknowledged)")
                break scanning
            case .torn(let at), .corrupt(let at):
                report.problems.append("journal: bad record at \(file.path):\(offset + at); replay stopped there, journal kept aside")
                corrupt = true
                break scanning
            }
        }
        replay.apply()
        if count > 0 { report.repaired.append("journal: \(count) record(s) replayed") }
        report.repaired += replay.repaired
        report.problems += replay.problems
        do {
            try startAfterRecovery(keepAside: corrupt ? files.map(\.path) : [])
        } catch {
            report.problems.append("journal: could not start a new segment: \(error.description)")
        }
        return report
    }

    /// Segments after the last gap in the numbering: older ones predate a checkpoint whose
    /// deletions did not all reach the disk.
    func contiguousSegments() -> [(sequence: UInt64, path: String)] {
        let all = segmentFiles()
        var suffix = all.suffix(1)
        for file in all.reversed().dropFirst() {
            guard let first = suffix.first, file.sequence + 1 == first.sequence else { break }
            suffix = all[all.index(before: suffix.startIndex)...]
        }
        return Array(suffix)
    }

    /// Syncs the replayed directories, retires the replayed segments, and opens a fresh one.
    func startAfterRecovery(keepAside: [String]) throws(FileError) {
        if !keepAside.isEmpty {
            let aside = directory + "/corrupt-" + String(Int(now()))
            try FileOps.makeDirectories(aside)
            for path in keepAside { try FileOps.rename(path, aside + "/" + (path as NSString).lastPathComponent) }
            try? FileOps.rename(directory + "/" + JournalCheckpoint.fileName, aside + "/" + JournalCheckpoint.fileName)
        }
        // Numbering continues past the replayed segments, which the checkpoint then drops.
        current = nil
        _ = try segment(withRoom: 0)
        // The spare segment is left to the first background checkpoint: start-up stays short.
        let checkpoint = beginCheckpoint(prepareSpare: false)
        let failure = checkpoint.run()
        finishCheckpoint(checkpoint, failure: failure)
        if let failure { throw FileError("checkpoint", directory, reason: failure) }
    }
}
