/// The loop's connections are the HTTP sessions' transport: same method names, no adapter.
extension Connection: HTTPTransport {}
