/// `done/` and `relayed/`: `YYYYMMDD/HH/MM/<id>` (layout §1.4.1).
public struct HashDir {
    public let path: String

    public init(path: String) { self.path = path }

    /// Directory of `id`, or nil for ids without the date shape.
    public func messagePath(for id: String) -> String? {
        MessageID.hashPath(for: id).map { path + "/" + $0 }
    }

    /// Ids newest first: depth-first, every level sorted descending, dot entries and names
    /// outside the globs skipped; stops after `limit` ids.
    public func entries(limit: Int = Int.max) -> [String] {
        var result: [String] = []
        guard limit > 0 else { return result }
        walk { id in
            result.append(id)
            return result.count < limit
        }
        return result
    }

    /// Number of ids (the same walk, without a limit).
    public func count() -> Int {
        var total = 0
        walk { _ in
            total += 1
            return true
        }
        return total
    }

    /// Calls `visit` per id in listing order until it returns false.
    public func walk(_ visit: (String) -> Bool) {
        for day in sortedDescending(path, digits: 8) {
            let dayPath = path + "/" + day
            for hour in sortedDescending(dayPath, digits: 2) {
                let hourPath = dayPath + "/" + hour
                for minute in sortedDescending(hourPath, digits: 2) {
                    let minutePath = hourPath + "/" + minute
                    let leaves = FileOps.listIfPresent(minutePath).filter(HashDir.isLeafName).sorted(by: >)
                    for leaf in leaves where !visit(leaf) { return }
                }
            }
        }
    }

    func sortedDescending(_ directory: String, digits: Int) -> [String] {
        FileOps.listIfPresent(directory)
            .filter { $0.utf8.count == digits && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
            .sorted(by: >)
    }

    /// Leaf glob `[0-9][0-9]*`.
    static func isLeafName(_ name: String) -> Bool {
        let bytes = Array(name.utf8.prefix(2))
        return bytes.count == 2 && bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
