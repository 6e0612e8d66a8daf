import Foundation

/// Answers one request. May be used at once or later (after a loop callback); only the first
/// `respond` counts. Holds its session weakly: a response for a connection that has gone away
/// is dropped (and a file body's fd closed).
public final class HTTPResponder {
    private weak var session: HTTPSession?
    private let sequence: Int
    private var responded = false

    init(session: HTTPSession, sequence: Int) {
        self.session = session
        self.sequence = sequence
    }

    public func respond(_ response: HTTPResponse) {
        guard !responded, let session else {
            response.body.release()
            return
        }
        responded = true
        session.respond(sequence: sequence, response)
    }
}

extension HTTPBody {
    /// Closes the fd of a file body that will not be sent.
    func release() {
        if case .file(let fd, _, _) = self { close(fd) }
    }
}
