import Foundation

/// The HTTP/1.1 client on the loop: non-blocking resolve and connect, one request at a time
/// per connection, keep-alive reuse per remote (`host:port`), at most
/// `limits.maxConnectionsPerRemote` connections per remote (further requests wait, FIFO),
/// request bodies from memory or streamed from a file. Redirects are not followed.
///
/// Completions run on the loop, exactly once, never from inside `send`.
public final class HTTPClient {
    private let loop: EventLoop
    private let limits: HTTPClientLimits
    private var remotes: [String: Remote] = [:]
    private var closed = false

    /// The connections and waiting requests of one `host:port`.
    private final class Remote {
        var connections: [ObjectIdentifier: HTTPClientConnection] = [:]
        var waiting: [HTTPClientExchange] = []
    }

    public init(loop: EventLoop, limits: HTTPClientLimits = HTTPClientLimits()) {
        self.loop = loop
        self.limits = limits
    }

    deinit { close() }

    /// - Parameter timeout: seconds for the whole response once the request has been sent;
    ///   while the request body goes out, the longest the peer may stop taking bytes.
    public func send(_ request: HTTPClientRequest, timeout: Double,
                     completion: @escaping (Result<HTTPClientResponse, HTTPClientError>) -> Void) {
        let prepared = Self.prepare(request, timeout: timeout, completion: completion)
        loop.runSoon { [weak self] in
            switch prepared {
            case .failure(let error):
                completion(.failure(error))
            case .success(let exchange):
                guard let self, !self.closed else { return exchange.finish(.failure(.cancelled)) }
                self.dispatch(exchange)
            }
        }
    }

    /// Cancels every waiting and running request (`.cancelled`) and closes all connections.
    public func close() {
        closed = true
        let all = remotes.values
        remotes = [:]
        for remote in all {
            for exchange in remote.waiting { exchange.finish(.failure(.cancelled)) }
            for connection in remote.connections.values { connection.close() }
        }
    }

    /// Open connections per remote, for tests and status pages.
    public func openConnections(to remote: String) -> Int { remotes[remote]?.connections.count ?? 0 }

    // MARK: - internals

    private static func prepare(_ request: HTTPClientRequest, timeout: Double,
                                completion: @escaping (Result<HTTPClientResponse, HTTPClientError>) -> Void)
        -> Result<HTTPClientExchange, HTTPClientError> {
        guard let url = HTTPClientURL(request.url) else { return .failure(.invalidURL(request.url)) }
        var fileSize: Int64 = 0
        if case .multipart(_, let file?) = request.body {
            // Measured now so Content-Length can be sent before the file.
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let size = attributes[.size] as? NSNumber
            else { return .failure(.file("\(file.path) is not a readable regular file")) }
            fileSize = size.int64Value
        }
        let boundary = "rq-swift-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let encoded = HTTPRequestEncoder.encode(
            method: request.method, target: url.target, hostHeader: url.hostHeader, headers: request.headers,
            body: request.body, boundary: boundary, fileSize: fileSize)
        return .success(HTTPClientExchange(url: url, request: encoded, timeout: timeout, completion: completion))
    }

    private func dispatch(_ exchange: HTTPClientExchange) {
        let remote = remotes[exchange.url.remote] ?? Remote()
        remotes[exchange.url.remote] = remote
        if let idle = remote.connections.values.first(where: { $0.isIdle }) {
            idle.start(exchange)
        } else if remote.connections.count < limits.maxConnectionsPerRemote {
            open(for: exchange, in: remote)
        } else {
            remote.waiting.append(exchange)
        }
    }

    private func open(for exchange: HTTPClientExchange, in remote: Remote) {
        let connection = HTTPClientConnection(loop: loop, exchange: exchange, limits: limits) { [weak self] connection, reusable in
            self?.exchangeEnded(on: connection, reusable: reusable)
        }
        guard let connection else {
            return exchange.finish(.failure(.connect("cannot start a connection to \(exchange.url.remote)")))
        }
        remote.connections[ObjectIdentifier(connection)] = connection
    }

    /// A connection finished an exchange (or closed): give it the next waiting request, or
    /// open a new connection for one in its place.
    private func exchangeEnded(on connection: HTTPClientConnection, reusable: Bool) {
        guard let remote = remotes[connection.remote] else { return }
        if !reusable { remote.connections[ObjectIdentifier(connection)] = nil }
        guard !remote.waiting.isEmpty else {
            if remote.connections.isEmpty { remotes[connection.remote] = nil }
            return
        }
        let next = remote.waiting.removeFirst()
        if reusable {
            // Not synchronously: the finished exchange's completion may still be running.
            loop.runSoon { [weak self] in self?.dispatch(next) }
        } else {
            open(for: next, in: remote)
        }
    }
}
