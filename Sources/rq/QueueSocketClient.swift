import Glibc
import RQWire
import RQStore

/// One rq1 request to a queue's Unix socket, the way the original client did it: connect, send
/// one packet, read one packet, close. Plain blocking calls — the CLI does nothing else
/// meanwhile, so an event loop would only add code. There is deliberately no read timeout: the
/// original had none, and a queue may take long to answer (e.g. hashing a large attachment).
struct QueueSocketClient {
    let queue: String
    let socketPath: String

    /// Sends `<command> <fields as a JSON object>` and returns the reply's JSON array. Keys go
    /// out sorted, so request bytes are deterministic whatever order the caller built them in
    /// (the server does not care about key order; tests compare the exact bytes).
    func call(_ command: String, _ fields: JSONObject) throws(CLIFailure) -> [JSONValue] {
        var sorted = fields
        sorted.sort()
        let payload = Array((command + " " + JSONValue.object(sorted).compactString).utf8)
        guard payload.count <= Rq1Codec.maxPayload else { throw CLIFailure("request too large for rq1") }
        let replyBytes = try exchange(Rq1Codec.encode(payload))
        guard case .array(let reply)? = try? JSONValue.parse(replyBytes), !reply.isEmpty else {
            throw CLIFailure("bad reply from queue - \(queue)")
        }
        return reply
    }

    private func exchange(_ request: [UInt8]) throws(CLIFailure) -> [UInt8] {
        let fd = try connectedSocket()
        defer { close(fd) }
        try sendAll(fd, request)
        var header: [UInt8] = []
        while header.count < Rq1Codec.headerSize {
            let chunk = try receive(fd, upTo: Rq1Codec.headerSize - header.count)
            guard !chunk.isEmpty else { throw CLIFailure("no reply from queue - \(queue)") }
            header += chunk
        }
        let size: Int
        do {
            guard let parsed = try Rq1Codec.payloadSize(header: header) else {
                throw CLIFailure("bad reply from queue - \(queue)")
            }
            size = parsed
        } catch {
            throw CLIFailure("bad reply from queue - \(queue)")
        }
        var payload: [UInt8] = []
        payload.reserveCapacity(size)
        while payload.count < size {
            let chunk = try receive(fd, upTo: min(size - payload.count, 65536))
            guard !chunk.isEmpty else { throw CLIFailure("short reply from queue - \(queue)") }
            payload += chunk
        }
        return payload
    }

    private func connectedSocket() throws(CLIFailure) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(socketPath.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else {
            throw CLIFailure("couldn't connect to queue - \(queue): socket path longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: pathBytes)
            buffer[pathBytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw CLIFailure("couldn't connect to queue - \(queue): \(lastError())") }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let reason = lastError()
            close(fd)
            throw CLIFailure("couldn't connect to queue - \(queue): \(reason)")
        }
        return fd
    }

    private func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws(CLIFailure) {
        var sent = 0
        while sent < bytes.count {
            // MSG_NOSIGNAL: a server that closes early must give an error, not kill us by SIGPIPE.
            let count = bytes[sent...].withUnsafeBytes { buffer in
                send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw CLIFailure("couldn't send to queue - \(queue): \(lastError())")
            }
            sent += count
        }
    }

    private func receive(_ fd: Int32, upTo limit: Int) throws(CLIFailure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: limit)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, limit) }
            if count >= 0 { return Array(buffer[0..<count]) }
            if errno != EINTR { throw CLIFailure("couldn't read reply from queue - \(queue): \(lastError())") }
        }
    }

    private func lastError() -> String { String(cString: strerror(errno)) }
}
