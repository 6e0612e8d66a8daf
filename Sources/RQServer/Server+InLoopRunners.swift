import RQLoop

extension Server {
    /// The `relay` and `webhook` queues run on the loop (no script): their messages are
    /// delivered over the shared HTTP client.
    func registerInLoopRunners() {
        let transport = HTTPClientTransport(client: httpClient)
        let relay = RelayRunner(loop: loop, transport: transport, commit: commit) { [queueOperations] queue, msgID, then in
            queueOperations.warmDigests(queue, msgID, then: then)
        }
        workers.runners.register(relay, forQueue: RelayRunner.queue)
        workers.runners.register(WebhookRunner(loop: loop, transport: transport), forQueue: WebhookMessages.queue)
    }
}
