import Foundation

/// `Scripts/relay_peer.py`: a misbehaving HTTP receiver (wrong md5, 500, silence, HTML,
/// redirect loop, huge body, lost preps, webhook sink) on a free loopback port of its own
/// choosing; every request it got is a JSON line in `requestLog`.
final class RelayPeer {
    let port: Int
    let requestLog: String
    private let process: Process

    var baseURL: String { "http://127.0.0.1:\(port)" }

    init(mode: String) throws {
        requestLog = FileManager.default.temporaryDirectory.appendingPathComponent("relay-peer-\(UUID().uuidString.prefix(8)).log").path
        FileManager.default.createFile(atPath: requestLog, contents: nil)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scripts/relay_peer.py").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, mode, requestLog]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The peer binds port 0 and prints what it got: no race with other tests for a port.
        var line = Data()
        let handle = out.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            guard !chunk.isEmpty else { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw FixtureError.failed("relay peer \(mode) did not start")
        }
        self.port = port
    }

    /// The requests received so far, each `{method, path, fields}`.
    func requests() -> [[String: Any]] {
        let text = (try? String(contentsOfFile: requestLog, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: requestLog)
    }
}
