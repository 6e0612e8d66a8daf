import RQStore

extension WorkerSupervisor {
    /// worker-protocol.md §6.9: a message that reached done, err or relayed queues one
    /// `webhook` message per `post_run_webhook` URL.
    func queuePostRunWebhooks(_ outcome: CompletionOutcome, message: Message, in store: QueueStore) {
        guard let urls = message.postRunWebhook, !urls.isEmpty else { return }
        let state: String
        switch outcome {
        case .done: state = "done"
        case .relayed: state = "relayed"
        case .err: state = "err"
        case .requeue: return
        }
        let problems = WebhookMessages.enqueue(for: message, fullID: store.fullID(message.msgID), state: state, registry: registry)
        for problem in problems { logger.error("\(problem)") }
        kick(queue: WebhookMessages.queue)
    }
}
