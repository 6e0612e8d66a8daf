import Foundation

/// `attach/.<name>.md5`: an attachment's md5 with the inode, size and mtime it was computed
/// for, so a restarted server does not hash gigabytes again on the loop to answer
/// `get_message`. Dot-named like the `.tmp` links, so attachment listings never show it; a
/// file that no longer matches (replaced, rewritten, torn by a crash) is simply not used.
enum DigestSidecar {
    static func path(for attachment: String) -> String {
        let directory = (attachment as NSString).deletingLastPathComponent
        let name = (attachment as NSString).lastPathComponent
        return directory + "/." + name + ".md5"
    }

    static func line(md5: String, _ st: stat) -> String {
        "\(md5) \(st.st_ino) \(st.st_size) \(st.st_mtim.tv_sec) \(st.st_mtim.tv_nsec)\n"
    }

    /// The recorded md5 if the sidecar describes exactly this file state.
    static func read(for attachment: String, matching st: stat) -> String? {
        guard let bytes = try? FileOps.readRegularFile(path(for: attachment), maxSize: 256),
              let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count == 5, fields[0].count == 32, fields[0].allSatisfy(\.isHexDigit),
              text == line(md5: String(fields[0]), st) else { return nil }
        return String(fields[0])
    }

    static func write(_ md5: String, for attachment: String, _ st: stat) throws(FileError) {
        try FileOps.writeFile(path(for: attachment), Array(line(md5: md5, st).utf8))
    }
}
