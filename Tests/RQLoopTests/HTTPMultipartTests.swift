import Foundation
import Testing
import TestSupport
@testable import RQLoop

/// Builds a multipart/form-data body the way curl -F does.
struct MultipartBody {
    let boundary: String
    private(set) var bytes: [UInt8] = []

    init(boundary: String) { self.boundary = boundary }

    func field(_ name: String, _ value: String) -> MultipartBody {
        var copy = self
        copy.bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        return copy
    }

    func file(_ name: String, filename: String, contentType: String = "application/octet-stream", _ content: [UInt8]) -> MultipartBody {
        var copy = self
        copy.bytes += Array(("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\n"
            + "Content-Type: \(contentType)\r\n\r\n").utf8)
        copy.bytes += content + Array("\r\n".utf8)
        return copy
    }

    /// The body with its closing delimiter.
    var closed: [UInt8] { bytes + Array("--\(boundary)--\r\n".utf8) }

    func request(path: String = "/q/x/1/attach/new", extraHeaders: String = "") -> [UInt8] {
        Array(("POST \(path) HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=\(boundary)\r\n"
            + "Content-Length: \(closed.count)\r\n\(extraHeaders)\r\n").utf8) + closed
    }
}

/// `md5sum` of a file, as an independent check of the session's MD5.
func md5sum(_ path: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/md5sum")
    process.arguments = [path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
}

func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var generator = SplitMix64(state: seed)
    var bytes = [UInt8](repeating: 0, count: count)
    for index in stride(from: 0, to: count, by: 8) {
        var word = generator.next()
        for offset in index..<min(count, index + 8) {
            bytes[offset] = UInt8(truncatingIfNeeded: word)
            word >>= 8
        }
    }
    return bytes
}

@Test func megabyteFileFedInRandomChunksArrivesIntact() throws {
    let harness = SessionHarness()
    // Sprinkle near-delimiters into the content: they must survive as data.
    var content = randomBytes(1_000_000, seed: 7)
    let decoy = Array("\r\n--boundary1234".utf8)
    for position in stride(from: 1000, to: 990_000, by: 99_991) {
        content.replaceSubrange(position..<position + decoy.count, with: decoy)
    }
    let body = MultipartBody(boundary: "boundary12345")
        .field("x_format", "json")
        .file("filedata", filename: "cornell-box.png", contentType: "image/png", content)
        .field("pathname", "cornell-box.png")
    feedInRandomChunks(body.request(), to: harness, seed: 42, maxChunk: 20_000)
    let request = try #require(harness.requests.first)
    #expect(request.fields.map(\.name) == ["x_format", "pathname"])
    #expect(request.fields.map(\.value) == ["json", "cornell-box.png"])
    let file = try #require(request.file("filedata"))
    #expect(file.filename == "cornell-box.png")
    #expect(file.contentType == "image/png")
    #expect(file.size == 1_000_000)
    #expect(try Data(contentsOf: URL(fileURLWithPath: file.path)) == Data(content))
    #expect(file.md5 == (try md5sum(file.path)))
    #expect(file.path.hasPrefix(harness.directory + "/"))
    #expect(harness.transport.responses.first?.status == 200)
}

@Test func smallFileMd5MatchesKnownAnswer() throws {
    let harness = SessionHarness()
    let body = MultipartBody(boundary: "b")
        .file("filedata", filename: "fox.txt", Array("The quick brown fox jumps over the lazy dog".utf8))
        .file("empty", filename: "empty.txt", [])
    harness.feed(body.request())
    let files = try #require(harness.requests.first?.files)
    #expect(files.map(\.md5) == ["9e107d9d372bb6826bd81d3542a419d6", "d41d8cd98f00b204e9800998ecf8427e"])
    #expect(files.map(\.size) == [43, 0])
}

@Test func boundaryStraddlingEveryFeedSplitPoint() throws {
    let content = Array("ab\r\n--bound\r\n--boundar\rc".utf8)
    let body = MultipartBody(boundary: "boundary")
        .field("t", "text\r\n-")
        .file("f", filename: "a.txt", content)
        .field("u", "")
    let input = body.request()
    for split in 1..<input.count {
        let harness = SessionHarness()
        harness.feed(Array(input[..<split]))
        harness.feed(Array(input[split...]))
        let request = try #require(harness.requests.first, "split at \(split)")
        #expect(request.fields.map(\.value) == ["text\r\n-", ""], "split at \(split)")
        let file = try #require(request.files.first, "split at \(split)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file.path)) == Data(content), "split at \(split)")
    }
}

@Test func multipartPreambleEpilogueAndPaddingAreTolerated() throws {
    let harness = SessionHarness()
    let body = "preamble text\r\n--zz  \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--zz--\r\nepilogue"
    harness.feed("POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=\"zz\"\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
    #expect(harness.requests.first?.fields.map(\.value) == ["1"])
}

@Test func filenamesAreUnquotedAndEmptyFilePartsSkipped() throws {
    let harness = SessionHarness()
    var bytes = Array("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a \\\"q\\\".txt\"\r\n\r\nx\r\n".utf8)
    bytes += Array("--b\r\nContent-Disposition: form-data; name=\"g\"; filename=\"C:\\dir\\b.txt\"\r\n\r\ny\r\n".utf8)
    bytes += Array("--b\r\ncontent-disposition: form-data; name=\"none\"; filename=\"\"\r\n\r\n\r\n".utf8)
    bytes += Array("--b\r\nContent-Disposition: form-data; name=\"h\"; filename*=UTF-8''%E2%82%AC.txt\r\n\r\nz\r\n".utf8)
    bytes += Array("--b\r\nContent-Type: text/plain\r\n\r\nno name\r\n--b--".utf8)
    harness.feed(Array("POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: \(bytes.count)\r\n\r\n".utf8) + bytes)
    let request = try #require(harness.requests.first)
    #expect(request.files.map(\.filename) == ["a \"q\".txt", "C:\\dir\\b.txt", "€.txt"])
    #expect(request.fields.isEmpty)
    #expect(harness.uploadDirectoryContents.count == 3)
}

@Test func unterminatedMultipartIs400AndDeletesItsFiles() {
    let harness = SessionHarness()
    let body = MultipartBody(boundary: "b").file("f", filename: "a", Array(repeating: 65, count: 1000)).bytes
    harness.feed(Array("POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
    #expect(harness.transport.responses.first?.status == 400)
    #expect(harness.transport.closed)
    #expect(harness.requests.isEmpty)
    #expect(harness.uploadDirectoryContents.isEmpty)
}

@Test func multipartWithoutBoundaryIs400() {
    let harness = SessionHarness()
    harness.feed("POST / HTTP/1.1\r\nContent-Type: multipart/form-data\r\nContent-Length: 3\r\n\r\nabc")
    #expect(harness.transport.responses.first?.status == 400)
}

@Test func partialUploadIsRemovedWhenPeerCloses() throws {
    let harness = SessionHarness()
    let input = MultipartBody(boundary: "b").file("filedata", filename: "big.bin", randomBytes(300_000, seed: 3)).request()
    harness.feed(Array(input.prefix(200_000)))
    #expect(harness.uploadDirectoryContents.count == 1, "the file part streams to disk as it arrives")
    #expect(harness.session?.activity == .receivingBody)
    harness.session?.peerClosed()
    #expect(harness.uploadDirectoryContents.isEmpty)
    #expect(harness.transport.closed)
    #expect(harness.transport.output.isEmpty)
    #expect(harness.requests.isEmpty)
}

@Test func droppingTheSessionMidUploadRemovesThePartialFile() {
    let harness = SessionHarness()
    let input = MultipartBody(boundary: "b").file("filedata", filename: "big.bin", randomBytes(100_000, seed: 5)).request()
    harness.feed(Array(input.prefix(90_000)))
    #expect(harness.uploadDirectoryContents.count == 1)
    harness.session = nil
    #expect(harness.uploadDirectoryContents.isEmpty)
}

@Test func multipartParserHandlesEveryChunkingOfASmallBody() throws {
    final class Recorder: MultipartSink {
        var events: [String] = []
        func partBegan(_ head: MultipartPartHead) throws { events.append("begin \(head.name ?? "-")") }
        func partData(_ bytes: UnsafeRawBufferPointer) throws {
            let text = String(decoding: bytes, as: UTF8.self)
            if let last = events.last, last.hasPrefix("data ") {
                events[events.count - 1] += text
            } else {
                events.append("data " + text)
            }
        }
        func partEnded() throws { events.append("end") }
    }
    let body = Array("--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n-\r\n--q\r\nContent-Disposition: form-data;\r\n name=\"b\"\r\n\r\n\r\n--q--".utf8)
    for size in 1...body.count {
        let parser = MultipartParser(boundary: "q", maxHeaderBytes: 1000, maxHeaderCount: 10)
        let recorder = Recorder()
        for start in stride(from: 0, to: body.count, by: size) {
            try Array(body[start..<min(body.count, start + size)]).withUnsafeBytes { try parser.feed($0, into: recorder) }
        }
        try parser.finish()
        #expect(recorder.events == ["begin a", "data x\r\n-", "end", "begin b", "end"], "chunk size \(size)")
    }
}
