import Foundation
import RQLoop
import RQStore

/// File downloads — config.json, job logs, attachments — with Range and If-Modified-Since
/// (spec rest.md §3.5). The file streams from its descriptor; nothing is read into memory.
extension WebApp {
    func logFile(_ r: WebRequest, _ m: MessageView, _ name: String) -> WebResponse {
        serveFile(r, path: "\(root)/\(m.path)/job/\(name)", contentType: "text/plain",
                  missing: "404 - Message ID log '\(name)' not found")
    }

    func attachmentFile(_ r: WebRequest, _ m: MessageView, _ name: String) -> WebResponse {
        guard AttachmentName.isValid(name) else { return notFound(r, "404 - Message ID attachment '\(name)' not found") }
        return serveFile(r, path: "\(root)/\(m.path)/attach/\(name)", contentType: MimeType.forFile(name),
                         missing: "404 - Message ID attachment '\(name)' not found")
    }

    func serveFile(_ r: WebRequest, path: String, contentType: String, missing: String) -> WebResponse {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return notFound(r, missing) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return notFound(r, missing)
        }
        let size = Int64(info.st_size)
        let lastModified = HTTPDate.format(Double(info.st_mtim.tv_sec))
        var headers = [("Last-Modified", lastModified), ("Accept-Ranges", "bytes")]
        if r.http.head.header("If-Modified-Since") == lastModified {
            close(fd)
            return WebResponse(http: HTTPResponse(status: 304, headers: headers))
        }
        var status = 200
        var offset: Int64 = 0
        var length = size
        if let rangeHeader = r.http.head.header("Range") {
            switch HTTPRange.parse(rangeHeader, size: size) {
            case .full:
                break
            case .unsatisfiable:
                close(fd)
                headers.append(("Content-Range", "bytes */\(size)"))
                return WebResponse.text(416, "Byte range unsatisfiable\n").with(headers: headers)
            case .partial(let start, let end):
                status = 206
                offset = start
                length = end - start + 1
                headers.append(("Content-Range", "bytes \(start)-\(end)/\(size)"))
            }
        }
        return .file(status: status, fd: fd, offset: offset, length: length, contentType: contentType, headers: headers)
    }
}

/// Content types by file extension for downloads.
enum MimeType {
    static func forFile(_ name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "jpg", "jpeg": return "image/jpeg"
        case "png": return "image/png"
        case "gif": return "image/gif"
        case "txt", "log": return "text/plain"
        case "json": return "application/json"
        case "html", "htm": return "text/html"
        case "pdf": return "application/pdf"
        default: return "application/octet-stream"
        }
    }
}

/// RFC 7231 dates for Last-Modified.
enum HTTPDate {
    static func format(_ seconds: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
