import Foundation

/// Consumes one request body as it streams in, according to its Content-Type:
/// urlencoded forms and other bodies are collected (bounded); multipart forms are parsed on
/// the fly, text parts collected (bounded) and file parts written to temp files.
final class RequestBodyReader: MultipartSink {
    private enum Kind {
        case urlencoded
        case multipart(MultipartParser)
        case raw
    }

    /// Where the current multipart part goes.
    private enum Part {
        /// No field name, or an empty filename (a file input left empty): dropped, as Rack did.
        case skipped
        case text(name: String, bytes: [UInt8])
        case file(name: String, filename: String, contentType: String?, writer: UploadFileWriter)
    }

    struct Contents {
        var fields: [(name: String, value: String)]
        var files: [UploadedFile]
        var body: [UInt8]
    }

    private let kind: Kind
    private let limits: HTTPLimits
    private let uploadDirectory: String
    private var bytes: [UInt8] = []
    private var part: Part?
    private var fields: [(name: String, value: String)] = []
    private var files: [UploadedFile] = []
    /// Non-file bytes of a multipart body so far (part headers and text parts).
    private var formBytes = 0

    init(contentType: String?, limits: HTTPLimits, uploadDirectory: String) throws {
        self.limits = limits
        self.uploadDirectory = uploadDirectory
        let mediaType = HeaderParameters(contentType ?? "")
        switch mediaType.value {
        case "application/x-www-form-urlencoded":
            kind = .urlencoded
        case "multipart/form-data":
            // RFC 2046 caps boundaries at 70 characters; allow some slack, refuse absurd ones.
            guard let boundary = mediaType.parameter("boundary"), !boundary.isEmpty, boundary.utf8.count <= 200 else {
                throw HTTPError.badRequest("multipart/form-data without a usable boundary")
            }
            kind = .multipart(MultipartParser(
                boundary: boundary, maxHeaderBytes: limits.maxHeaderBytes, maxHeaderCount: limits.maxHeaderCount))
        default:
            kind = .raw
        }
    }

    /// Multipart bodies may be far larger than `maxFormBytes` (files), others may not.
    var isMultipart: Bool {
        if case .multipart = kind { return true }
        return false
    }

    func append(_ chunk: UnsafeRawBufferPointer) throws {
        switch kind {
        case .multipart(let parser):
            try parser.feed(chunk, into: self)
        case .urlencoded, .raw:
            guard bytes.count + chunk.count <= limits.maxFormBytes else {
                throw HTTPError.tooLarge("request body too large")
            }
            bytes.append(contentsOf: chunk)
        }
    }

    /// The body is complete. On failure the caller must `abandon()`.
    func finish() throws -> Contents {
        switch kind {
        case .urlencoded:
            guard let text = String(validating: bytes, as: UTF8.self) else { throw FormDecoding.invalidUTF8 }
            return Contents(fields: try FormDecoding.parseQuery(text).map { (name: $0.0, value: $0.1) }, files: [], body: [])
        case .multipart(let parser):
            try parser.finish()
            return Contents(fields: fields, files: files, body: [])
        case .raw:
            return Contents(fields: [], files: [], body: bytes)
        }
    }

    /// Deletes every file this body created: the request will not reach a handler.
    func abandon() {
        if case .file(_, _, _, let writer) = part { writer.discard() }
        part = nil
        for file in files { unlink(file.path) }
        files = []
    }

    // MARK: - MultipartSink

    func partBegan(_ head: MultipartPartHead) throws {
        try chargeFormBytes(head.byteCount)
        guard let name = head.name else {
            part = .skipped
            return
        }
        guard let filename = head.filename else {
            part = .text(name: name, bytes: [])
            return
        }
        guard !filename.isEmpty else {
            part = .skipped
            return
        }
        guard files.count < limits.maxUploadFiles else { throw HTTPError.tooLarge("too many files in one request") }
        let writer = try UploadFileWriter(directory: uploadDirectory)
        part = .file(name: name, filename: filename, contentType: head.contentType, writer: writer)
    }

    func partData(_ data: UnsafeRawBufferPointer) throws {
        switch part {
        case .text(let name, var collected):
            guard collected.count + data.count <= limits.maxFieldBytes else {
                throw HTTPError.tooLarge("form field too large: \(name)")
            }
            try chargeFormBytes(data.count)
            part = nil  // drop the enum's reference so the append below does not copy
            collected.append(contentsOf: data)
            part = .text(name: name, bytes: collected)
        case .file(_, _, _, let writer):
            guard writer.size + Int64(data.count) <= limits.maxUploadBytes else {
                throw HTTPError.tooLarge("uploaded file too large")
            }
            try writer.append(data)
        case .skipped, nil:
            break
        }
    }

    func partEnded() throws {
        // `part` is cleared only after success: on failure `abandon()` still finds the file.
        switch part {
        case .text(let name, let collected):
            guard let value = String(validating: collected, as: UTF8.self) else { throw FormDecoding.invalidUTF8 }
            fields.append((name: name, value: value))
        case .file(let name, let filename, let contentType, let writer):
            let md5 = try writer.finish()
            files.append(UploadedFile(
                fieldName: name, filename: filename, path: writer.path, md5: md5, size: writer.size, contentType: contentType))
        case .skipped, nil:
            break
        }
        part = nil
    }

    private func chargeFormBytes(_ count: Int) throws {
        formBytes += count
        guard formBytes <= limits.maxFormBytes else { throw HTTPError.tooLarge("form too large") }
    }
}
