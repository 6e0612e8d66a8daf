/// The handle of a run done inside the loop (cleaner, router): no process; stopping and dup
/// replies go to whatever the runner plugged in.
final class LoopRunHandle: RunHandle {
    var pid: Int32? { nil }
    var onStop: () -> Void = {}
    var onReply: (DupReply) -> Void = { _ in }

    func stop(force: Bool) { onStop() }
    func reply(_ reply: DupReply) { onReply(reply) }
    func release() {
        onStop = {}
        onReply = { _ in }
    }
}
