/// The byte pipe an `HTTPSession` talks through. Implemented by the loop's connection type;
/// the session never touches sockets itself, which keeps the protocol engine testable with an
/// in-memory transport.
public protocol HTTPTransport: AnyObject {
    /// Queue bytes for the peer, in order.
    func write(_ bytes: [UInt8])
    /// Queue `length` bytes of the file `fd` from `offset`, after everything written before.
    /// The transport takes ownership of `fd` and closes it when done (or on failure).
    func writeFile(fd: Int32, offset: Int64, length: Int64)
    /// Stop delivering input (`feed`) until `resumeReading`; used while a response is pending.
    func pauseReading()
    func resumeReading()
    /// Close the connection once everything queued so far has been sent.
    func closeAfterFlush()
}
