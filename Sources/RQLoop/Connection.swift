internal import CEvent
import Glibc

/// A socket on a bufferevent (BEV_OPT_CLOSE_ON_FREE: freeing it closes the fd).
///
/// Loop-held: registration retains the Connection, so it lives until it is closed,
/// whether or not the owner keeps a reference. Exactly one release happens, in the
/// first `close()`.
///
/// `onClose` reports every ending the owner did not ask for synchronously: peer EOF,
/// a socket error, a timeout, and the close that follows `closeAfterFlush`. An explicit
/// `close()` never calls it. It runs once, while leftover input can still be read,
/// and the Connection is closed as soon as it returns.
///
/// Outbound connections (`Connection.connect`) report `onConnected` once the socket is up; a
/// failure to resolve or connect ends them through `onClose` like any other error.
///
/// `onInputEnded`, when set, takes over the peer's EOF instead: a client that shuts down its
/// sending side after a request (`shutdown(SHUT_WR)`, `nc -N`) still awaits the reply, so the
/// connection stays open for output and the owner decides when to `closeAfterFlush`.
public final class Connection {
    public var onReadable: ((Connection) -> Void)?
    public var onClose: ((Connection) -> Void)?
    public var onInputEnded: ((Connection) -> Void)?
    public var onWriteDrained: ((Connection) -> Void)?
    public var onConnected: ((Connection) -> Void)?
    /// Why the connection ended on its own (set before `onClose` runs).
    public private(set) var endReason: EndReason?
    public var userData: AnyObject?
    public let peer: String

    let loop: EventLoop
    /// Internal so HTTP/ and Process/ code in this module can work on the evbuffers directly.
    private(set) var bufferevent: OpaquePointer?
    private var retained: Unmanaged<Connection>?
    private var state = State.open
    /// EOF seen: reading must stay off, or libevent would report the EOF again.
    private var inputFinished = false

    public enum EndReason: Equatable, Sendable {
        case endOfInput
        case timeout
        /// A socket error, or a name that could not be resolved; the text says which.
        case error(String)
    }

    private enum State {
        case open
        case closingAfterFlush
        case closed
    }

    /// Takes ownership of `fd` (closed here if the bufferevent cannot be created).
    init?(loop: EventLoop, fd: Int32, peer: String) {
        self.loop = loop
        self.peer = peer
        guard let bufferevent = bufferevent_socket_new(loop.base, fd, Int32(BEV_OPT_CLOSE_ON_FREE.rawValue)) else {
            if fd >= 0 { Glibc.close(fd) }
            return nil
        }
        self.bufferevent = bufferevent
        let retained = Unmanaged.passRetained(self)
        self.retained = retained
        bufferevent_setcb(bufferevent, Connection.readCallback, Connection.writeCallback,
                          Connection.eventCallback, retained.toOpaque())
        bufferevent_enable(bufferevent, Int16(EV_READ | EV_WRITE))
    }

    private static let readCallback: bufferevent_data_cb = { _, arg in
        guard let arg else { return }
        let connection = Unmanaged<Connection>.fromOpaque(arg).takeUnretainedValue()
        connection.onReadable?(connection)
    }

    private static let writeCallback: bufferevent_data_cb = { _, arg in
        guard let arg else { return }
        Unmanaged<Connection>.fromOpaque(arg).takeUnretainedValue().outputDrained()
    }

    private static let eventCallback: bufferevent_event_cb = { _, events, arg in
        guard let arg else { return }
        let connection = Unmanaged<Connection>.fromOpaque(arg).takeUnretainedValue()
        let what = Int32(events)
        if what & Int32(BEV_EVENT_CONNECTED) != 0 {
            connection.onConnected?(connection)
        } else if what & Int32(BEV_EVENT_TIMEOUT) != 0 {
            connection.end(.timeout)
        } else if what & Int32(BEV_EVENT_ERROR) != 0 {
            connection.end(.error(connection.socketErrorText()))
        } else if what & Int32(BEV_EVENT_EOF) != 0 {
            connection.inputEnded()
        }
    }

    // MARK: input

    public var inputCount: Int {
        guard let bufferevent else { return 0 }
        return evbuffer_get_length(bufferevent_get_input(bufferevent))
    }

    /// Removes and returns up to `max` bytes of input.
    public func readBytes(max: Int) -> [UInt8] {
        guard let bufferevent else { return [] }
        let input = bufferevent_get_input(bufferevent)
        let count = min(max, evbuffer_get_length(input))
        guard count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = Int(Swift.max(0, evbuffer_remove(input, buffer.baseAddress, count)))
        }
    }

    /// Returns up to `max` bytes of input without removing them.
    public func peekBytes(max: Int) -> [UInt8] {
        guard let bufferevent else { return [] }
        let input = bufferevent_get_input(bufferevent)
        let count = min(max, evbuffer_get_length(input))
        guard count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = Swift.max(0, evbuffer_copyout(input, buffer.baseAddress, count))
        }
    }

    /// Discards up to `count` bytes of input (e.g. a header already parsed via peekBytes).
    public func discardInput(_ count: Int) {
        guard let bufferevent, count > 0 else { return }
        evbuffer_drain(bufferevent_get_input(bufferevent), count)
    }

    public func pauseReading() {
        guard let bufferevent else { return }
        bufferevent_disable(bufferevent, Int16(EV_READ))
    }

    public func resumeReading() {
        guard let bufferevent, state == .open, !inputFinished else { return }
        bufferevent_enable(bufferevent, Int16(EV_READ))
    }

    // MARK: output

    public var outputCount: Int {
        guard let bufferevent else { return 0 }
        return evbuffer_get_length(bufferevent_get_output(bufferevent))
    }

    /// Queues bytes for sending; dropped silently once the connection is closed.
    public func write(_ bytes: [UInt8]) {
        guard let bufferevent, !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { raw in
            _ = bufferevent_write(bufferevent, raw.baseAddress, raw.count)
        }
    }

    public func write(_ string: String) {
        write(Array(string.utf8))
    }

    /// Streams `length` bytes of `fd` from `offset` (sendfile where possible) without
    /// reading the file into memory. Takes ownership of `fd`: it is closed once sent,
    /// when the connection closes, or at once if it cannot be queued.
    public func writeFile(fd: Int32, offset: Int64, length: Int64) {
        guard let bufferevent, length > 0, offset >= 0 else {
            Glibc.close(fd)
            return
        }
        // evbuffer_add_file leaves the fd open on some failures and closes it on others;
        // holding the segment ourselves makes "closed exactly once" certain.
        guard let segment = evbuffer_file_segment_new(fd, offset, length, UInt32(EVBUF_FS_CLOSE_ON_FREE)) else {
            Glibc.close(fd)
            return
        }
        evbuffer_add_file_segment(bufferevent_get_output(bufferevent), segment, 0, length)
        evbuffer_file_segment_free(segment)
    }

    // MARK: lifetime

    /// nil disables that timeout. A timeout ends the connection through `onClose`.
    public func setTimeouts(read: Double?, write: Double?) {
        guard let bufferevent else { return }
        var readTimeout = LoopTime.timeval(seconds: read ?? 0)
        var writeTimeout = LoopTime.timeval(seconds: write ?? 0)
        withUnsafePointer(to: &readTimeout) { readPointer in
            withUnsafePointer(to: &writeTimeout) { writePointer in
                _ = bufferevent_set_timeouts(bufferevent, read == nil ? nil : readPointer,
                                             write == nil ? nil : writePointer)
            }
        }
    }

    /// Stops reading and closes once every queued byte is written; `onClose` follows.
    public func closeAfterFlush() {
        switch state {
        case .open:
            state = .closingAfterFlush
            pauseReading()
            if outputCount == 0 {
                // Not synchronously: onClose must not run inside the owner's own call.
                loop.runSoon { [self] in end() }
            }
        case .closingAfterFlush, .closed:
            return
        }
    }

    /// Idempotent. Frees the bufferevent (closing the socket, dropping unsent output)
    /// and then gives up the loop's reference; `onClose` is not called.
    public func close() {
        switch state {
        case .closed:
            return
        case .open, .closingAfterFlush:
            state = .closed
        }
        if let bufferevent {
            bufferevent_free(bufferevent)
            self.bufferevent = nil
        }
        // Callbacks usually capture the owner, which holds this Connection: break the cycle.
        onReadable = nil
        onWriteDrained = nil
        onClose = nil
        onInputEnded = nil
        onConnected = nil
        userData = nil
        let retained = self.retained
        self.retained = nil
        retained?.release()
    }

    public var isClosed: Bool { state == .closed }

    /// Ends the connection as if the socket had failed (`onClose` runs).
    func fail(_ text: String) {
        end(.error(text))
    }

    /// What went wrong, read right after libevent reported BEV_EVENT_ERROR.
    private func socketErrorText() -> String {
        let code = errno
        if let bufferevent {
            let dnsError = bufferevent_socket_get_dns_error(bufferevent)
            if dnsError != 0 {
                return "cannot resolve \(peer): " + (evutil_gai_strerror(dnsError).map { String(cString: $0) } ?? "error \(dnsError)")
            }
        }
        return String(cString: strerror(code))
    }

    private func outputDrained() {
        guard outputCount == 0 else { return }
        switch state {
        case .open: onWriteDrained?(self)
        case .closingAfterFlush: end()
        case .closed: return
        }
    }

    /// The peer sent EOF; libevent has already stopped reading. Writing may still work.
    private func inputEnded() {
        inputFinished = true
        guard state == .open, let handler = onInputEnded else {
            end(.endOfInput)
            return
        }
        onInputEnded = nil
        handler(self)
    }

    /// An ending the owner did not cause synchronously: tell it once, then close.
    private func end(_ reason: EndReason = .endOfInput) {
        switch state {
        case .closed:
            return
        case .open, .closingAfterFlush:
            endReason = reason
            let handler = onClose
            onClose = nil
            handler?(self)
            close()
        }
    }
}
