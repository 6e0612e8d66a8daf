import RQLoop

/// The relay and webhook transport on the loop's HTTP client: one POST per request, the
/// client's errors sorted into "try again later" and "no retry will help".
final class HTTPClientTransport: RelayTransport {
    private let client: HTTPClient

    init(client: HTTPClient) {
        self.client = client
    }

    func send(_ request: RelayRequest, timeout: Double, completion: @escaping (RelayReply) -> Void) -> RelayCancellation {
        let call = Call(completion)
        client.send(HTTPClientRequest(method: "POST", url: request.url, body: Self.body(request.body)), timeout: timeout) { result in
            switch result {
            case .success(let response): call.report(.response(status: response.status, body: response.bodyText))
            case .failure(let error): call.report(Self.reply(for: error))
            }
        }
        return call
    }

    static func body(_ body: RelayRequest.Body) -> HTTPClientBody {
        switch body {
        case .form(let fields):
            return .form(fields.map { ($0.name, $0.value) })
        case .multipart(let fields, let file):
            return .multipart(fields: fields.map { ($0.name, $0.value) },
                              file: HTTPClientFilePart(field: file.fieldName, path: file.path, filename: file.filename))
        }
    }

    static func reply(for error: HTTPClientError) -> RelayReply {
        switch error {
        case .resolve, .connect, .connectTimeout, .timeout, .connectionClosed, .cancelled:
            return .unreachable(error.description)
        case .invalidURL, .malformedResponse, .responseTooLarge, .redirect, .file:
            return .unusable(error.description)
        }
    }

    /// The client has no per-request cancel: a cancelled call just stays silent.
    private final class Call: RelayCancellation {
        private var completion: ((RelayReply) -> Void)?

        init(_ completion: @escaping (RelayReply) -> Void) { self.completion = completion }

        func report(_ reply: RelayReply) {
            let call = completion
            completion = nil
            call?(reply)
        }

        func cancel() { completion = nil }
    }
}
