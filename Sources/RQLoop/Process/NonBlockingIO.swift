import Glibc

/// Outcome of one non-blocking read.
public enum ReadResult: Equatable, Sendable {
    case data([UInt8])
    case wouldBlock
    case eof
    case failed(errno: Int32)
}

/// One bounded read: at most `maxBytes` (64 KiB by default) so a chatty script cannot keep
/// a loop callback busy; the caller reads again on the next readiness event.
public func readAvailable(fd: Int32, maxBytes: Int = 65_536) -> ReadResult {
    let capacity = max(1, maxBytes)
    while true {
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            let n = read(fd, buffer.baseAddress, capacity)
            if n < 0 { failure = errno }
            count = max(0, n)
        }
        if !bytes.isEmpty { return .data(bytes) }
        switch failure {
        case 0: return .eof
        case EINTR: continue
        case EAGAIN, EWOULDBLOCK: return .wouldBlock
        default: return .failed(errno: failure)
        }
    }
}

/// Outcome of a non-blocking write.
public enum WriteResult: Equatable, Sendable {
    /// How many bytes went out; fewer than asked means the pipe is full.
    case written(Int)
    /// E.g. `EPIPE` once the reader is gone (the server ignores SIGPIPE, so it gets this
    /// instead of dying).
    case failed(errno: Int32)
}

/// Writes as much of `bytes` as the descriptor takes now. Replies on the reply pipe are
/// shorter than PIPE_BUF, so they go out whole or not at all.
public func writeNonBlocking(fd: Int32, bytes: [UInt8]) -> WriteResult {
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { raw in
            write(fd, raw.baseAddress.map { $0 + offset }, bytes.count - offset)
        }
        if n > 0 {
            offset += n
            continue
        }
        if n == 0 { break }
        let failure = errno
        if failure == EINTR { continue }
        if failure == EAGAIN || failure == EWOULDBLOCK { break }
        return .failed(errno: failure)
    }
    return .written(offset)
}

/// Closes a descriptor handed out by this module (`SpawnedProcess`'s pipe ends).
public func closeDescriptor(_ fd: Int32) {
    guard fd >= 0 else { return }
    _ = close(fd)
}
