/// What the socket commands need from the server's worker supervision.
public protocol WorkerControl: AnyObject {
    /// SIGTERM the worker running `msgID` in `queue`; false when no such worker runs.
    func destroy(queue: String, msgID: String) -> Bool
    /// Run the queue's scheduler soon (after create/commit/run_message/clone, a status query
    /// that found the queue runnable, up/resume/restart).
    func kick(queue: String)
    /// The queue is about to be deleted (its directory renamed): stop its workers.
    func queueRemoved(queue: String)
}

extension WorkerControl {
    public func queueRemoved(queue: String) {}
}
