import Foundation
import RQLoop
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Runs `loop` until `done()` holds at the end of an iteration, or `seconds` pass (the
/// guard timer stops the loop). Returns whether `done()` held. Hooks cannot be removed,
/// so each call's hook is switched off when the call returns.
@discardableResult
func drive(_ loop: EventLoop, seconds: Double = 5, until done: @escaping () -> Bool) -> Bool {
    final class Switch { var on = true }
    let active = Switch()
    let guardTimer = LoopTimer(loop: loop) { loop.stop() }
    guardTimer.schedule(after: seconds)
    loop.addIterationEndHook { if active.on && done() { loop.stop() } }
    loop.run()
    active.on = false
    guardTimer.close()
    return done()
}

/// A fresh directory under the temp dir (the shared kit's).
typealias TempDir = TemporaryDirectory

/// The far end of a test connection: a plain socket, connected blocking, then read on
/// the loop through an FdWatcher so tests can wait for bytes without threads.
final class TestClient {
    let fd: Int32
    var received: [UInt8] = []
    var sawEOF = false
    private var watcher: FdWatcher?

    private init(fd: Int32) { self.fd = fd }

    static func tcp(port: Int) throws -> TestClient {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else { Glibc.close(fd); throw POSIXError(.ECONNREFUSED) }
        return TestClient(fd: fd)
    }

    static func unix(path: String) throws -> TestClient {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8) + [0])
        }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard status == 0 else { Glibc.close(fd); throw POSIXError(.ECONNREFUSED) }
        return TestClient(fd: fd)
    }

    func send(_ bytes: [UInt8]) {
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        precondition(written == bytes.count, "test client write was short")
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    /// Collects everything the server sends into `received`, and notes EOF.
    func watch(on loop: EventLoop, onData: (() -> Void)? = nil) throws {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        watcher = try FdWatcher(loop: loop, fd: fd) { [unowned self] in
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = Glibc.read(fd, &chunk, chunk.count)
            if count > 0 {
                received += chunk[0..<count]
                onData?()
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                sawEOF = true
                watcher?.close()
            }
        }
    }

    var receivedText: String { String(decoding: received, as: UTF8.self) }

    func close() {
        watcher?.close()
        Glibc.close(fd)
    }
}
