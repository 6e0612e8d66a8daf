internal import CEvent
import Glibc

/// An evconnlistener. Accepted sockets are non-blocking and close-on-exec (libevent
/// accepts with accept4 and those flags) and handed over as `Connection`s.
public final class Listener {
    private let loop: EventLoop
    private let onAccept: (Connection) -> Void
    private let unixPath: String?
    private var listener: OpaquePointer?
    private var pausedByOwner = false
    /// Re-enables accepting after a resource error (EMFILE…); see `acceptFailed`.
    private var backoff: LoopTimer?

    public static func tcp(loop: EventLoop, host: String, port: Int,
                           onAccept: @escaping (Connection) -> Void) throws -> Listener {
        let listener = Listener(loop: loop, unixPath: nil, onAccept: onAccept)
        var lastError = LoopError("bind \(host):\(port)", code: EADDRNOTAVAIL)
        for address in try SocketAddress.resolvePassive(host: host, port: port) {
            do {
                try address.withUnsafeBytes { raw in
                    try listener.bind(raw, flags: LEV_OPT_REUSEABLE, what: "bind \(host):\(port)")
                }
                return listener
            } catch let error as LoopError {
                lastError = error
            }
        }
        throw lastError
    }

    public static func unix(loop: EventLoop, path: String,
                            onAccept: @escaping (Connection) -> Void) throws -> Listener {
        var address = try SocketAddress.unix(path: path)
        try removeStaleSocket(path: path, address: &address)
        let listener = Listener(loop: loop, unixPath: path, onAccept: onAccept)
        try withUnsafeBytes(of: &address) { raw in
            try listener.bind(raw, flags: 0, what: "bind \(path)")
        }
        return listener
    }

    private init(loop: EventLoop, unixPath: String?, onAccept: @escaping (Connection) -> Void) {
        self.loop = loop
        self.unixPath = unixPath
        self.onAccept = onAccept
    }

    deinit { close() }

    private func bind(_ address: UnsafeRawBufferPointer, flags: UInt32, what: String) throws {
        let accepted: evconnlistener_cb = { _, fd, address, length, arg in
            guard let arg else { return }
            Unmanaged<Listener>.fromOpaque(arg).takeUnretainedValue().accepted(fd: fd, address: address, length: length)
        }
        let failed: evconnlistener_errorcb = { _, arg in
            guard let arg else { return }
            Unmanaged<Listener>.fromOpaque(arg).takeUnretainedValue().acceptFailed()
        }
        let options = LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | flags
        guard let sockaddr = address.baseAddress?.assumingMemoryBound(to: sockaddr.self),
              let created = evconnlistener_new_bind(
                loop.base, accepted, Unmanaged.passUnretained(self).toOpaque(), options,
                SOMAXCONN, sockaddr, Int32(address.count))
        else { throw LoopError(what, code: errno) }
        listener = created
        evconnlistener_set_error_cb(created, failed)
    }

    /// A socket file nobody answers on is left over from a previous run: remove it so
    /// bind can succeed. A live one (connect succeeds) is another server's: leave it.
    private static func removeStaleSocket(path: String, address: inout sockaddr_un) throws {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK else { return }
        let probe = socket(AF_UNIX, rq_sock_stream() | rq_sock_cloexec(), 0)
        guard probe >= 0 else { throw LoopError("socket", code: errno) }
        defer { Glibc.close(probe) }
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if connected == 0 { throw LoopError("bind \(path) (a server is listening)", code: EADDRINUSE) }
        unlink(path)
    }

    /// The bound TCP port (useful after binding port 0); 0 for Unix sockets or when closed.
    public var port: Int {
        guard let listener else { return 0 }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(evconnlistener_get_fd(listener), $0, &length)
            }
        }
        guard status == 0 else { return 0 }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
        default:
            return 0
        }
    }

    /// Stops accepting (pending clients wait in the backlog), e.g. at the connection cap.
    public func pause() {
        pausedByOwner = true
        guard let listener else { return }
        evconnlistener_disable(listener)
    }

    public func resume() {
        pausedByOwner = false
        guard let listener, !(backoff?.isScheduled ?? false) else { return }
        evconnlistener_enable(listener)
    }

    public func close() {
        backoff?.close()
        backoff = nil
        guard let listener else { return }
        evconnlistener_free(listener)
        self.listener = nil
        if let unixPath { unlink(unixPath) }
    }

    private func accepted(fd: Int32, address: UnsafeMutablePointer<sockaddr>?, length: Int32) {
        let peer = SocketAddress.describe(address, length: length)
        guard let connection = Connection(loop: loop, fd: fd, peer: peer) else { return }
        onAccept(connection)
    }

    /// libevent keeps the listening socket readable after EMFILE/ENFILE/ENOMEM and would
    /// call back in a tight loop; stop accepting for a moment instead.
    private func acceptFailed() {
        guard let listener else { return }
        evconnlistener_disable(listener)
        if backoff == nil {
            backoff = LoopTimer(loop: loop) { [weak self] in
                guard let self, let listener = self.listener, !self.pausedByOwner else { return }
                evconnlistener_enable(listener)
            }
        }
        backoff?.schedule(after: 0.1)
    }
}
