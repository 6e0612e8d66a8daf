internal import CEvent
import Glibc

extension Connection {
    /// Starts a non-blocking connection to `host:port`: names are resolved by evdns on the
    /// loop (never getaddrinfo, which blocks), numeric addresses directly. Set `onConnected`
    /// and `onClose` on the result at once: the outcome arrives from a later loop callback.
    /// Returns nil only when libevent cannot even start (no memory, no resolver).
    public static func connect(loop: EventLoop, host: String, port: Int) -> Connection? {
        let peer = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        guard (1...65535).contains(port), let connection = Connection(loop: loop, fd: -1, peer: peer) else { return nil }
        // Deferred: a numeric host is resolved synchronously inside connect_hostname, and a
        // failure reported from there would reach the owner before it set its callbacks.
        loop.runSoon { [connection] in
            guard let bufferevent = connection.bufferevent else { return }
            if bufferevent_socket_connect_hostname(bufferevent, loop.dnsBase, AF_UNSPEC, host, Int32(port)) != 0 {
                connection.fail("cannot connect to \(peer)")
            }
        }
        return connection
    }
}
