/// One request in flight: what to send, how long to wait, and whom to tell. The completion
/// runs exactly once.
final class HTTPClientExchange {
    let url: HTTPClientURL
    let request: EncodedRequest
    let timeout: Double
    private var completion: ((Result<HTTPClientResponse, HTTPClientError>) -> Void)?

    init(url: HTTPClientURL, request: EncodedRequest, timeout: Double,
         completion: @escaping (Result<HTTPClientResponse, HTTPClientError>) -> Void) {
        self.url = url
        self.request = request
        self.timeout = timeout
        self.completion = completion
    }

    var isFinished: Bool { completion == nil }

    func finish(_ result: Result<HTTPClientResponse, HTTPClientError>) {
        guard let completion else { return }
        self.completion = nil
        completion(result)
    }
}
