import Foundation
import Testing
import RQLoop
#if canImport(Glibc)
import Glibc
#endif

/// A multipart upload far larger than the memory it may use.
@Suite(.serialized) struct HTTPClientUploadTests {
    /// Resident set size of this process, from /proc/self/statm.
    private static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }

    @Test func a256MiBSparseFileStreamsInBoundedMemory() throws {
        let fixture = try ClientFixture { request, responder in
            let file = request.file("file")
            if let file { unlink(file.path) }
            responder.respond(.text(200, "\(file?.size ?? -1) \(file?.md5 ?? "-")"))
        }
        defer { fixture.finish() }
        let path = fixture.dir.path + "/sparse.bin"
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        #expect(ftruncate(fd, 256 << 20) == 0)
        close(fd)
        let before = Self.residentBytes()
        var peak = before
        var measuring = true
        fixture.loop.addIterationEndHook { if measuring { peak = max(peak, Self.residentBytes()) } }
        let body = HTTPClientBody.multipart(fields: [("mesg", "{}")],
                                            file: HTTPClientFilePart(field: "file", path: path, filename: "sparse.bin"))
        let result = fixture.fetch(HTTPClientRequest(method: "POST", url: fixture.baseURL + "/upload", body: body),
                                   timeout: 120, seconds: 180)
        measuring = false
        #expect(result?.value?.bodyText == "268435456 1f5039e50bd66b290c56684d8550c6c2")
        // Client and server share this process; reading the file into memory would add 256 MiB.
        #expect(peak - before < 48 << 20, "resident set grew by \((peak - before) >> 20) MiB")
    }
}
