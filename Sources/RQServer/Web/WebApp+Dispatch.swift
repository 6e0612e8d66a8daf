import RQStore

extension WebApp {
    /// Runs the route's handler. Answers to POSTs wait for the group commit, so a client
    /// never sees `ok` for data that is not yet on disk.
    func dispatch(_ request: WebRequest, _ done: @escaping (WebResponse) -> Void) {
        let response = answer(request)
        guard request.http.head.method == "POST" else { return done(response) }
        commit.deliver(response) { [self] durable in
            done((try? durable.get()) ?? failure(request, QueueError.notDurable))
        }
    }

    private func answer(_ r: WebRequest) -> WebResponse {
        switch r.route {
        case .home: return homePage(r)
        case .newQueueForm: return newQueueForm(r)
        case .newQueue: return createQueue(r)
        case .newQueueLink: return createQueueLink(r)
        case .deleteQueue: return deleteQueue(r)
        case .queueListText: return .text(registry.names.map { "q/\($0).txt\n" }.joined() + "\n")
        case .queueListJSON: return .json(JSONText.array(registry.names.map(JSONValue.string)))
        case .queuePage(let q): return withQueue(r, q) { queuePage(r, $0) }
        case .queueText(let q): return withQueue(r, q) { queueStatusText(r, $0) }
        case .queueJSON(let q): return withQueue(r, q) { queueStatusJSON(r, $0) }
        case .doneJSON(let q): return withQueue(r, q) { doneList(r, $0) }
        case .newMessageForm(let q): return withQueue(r, q) { newMessageForm(r, $0) }
        case .newMessage(let q): return withQueue(r, q) { createMessage(r, $0) }
        case .messageBatch(let q): return withQueue(r, q) { createMessages(r, $0) }
        case .adminOper(let q): return withQueue(r, q) { adminOper(r, $0) }
        case .restart(let q): return withQueue(r, q) { restartQueue(r, $0) }
        case .ackErrs(let q): return withQueue(r, q) { ackErrs(r, $0) }
        case .configFile(let q): return withQueue(r, q) { configFile(r, $0) }
        case .liveConfig(let q): return withQueue(r, q) { liveConfig(r, $0) }
        case .messagePage(let q, let id): return withMessage(r, q, id) { messagePage(r, $0) }
        case .messageJSON(let q, let id): return withMessage(r, q, id) { .json($0.json.compactString) }
        case .messageState(let q, let id): return withMessage(r, q, id) { .json(JSONText.array([.string($0.state)])) }
        case .clone(let q, let id): return withQueue(r, q) { cloneMessage(r, $0, id) }
        case .runNow(let q, let id): return withQueue(r, q) { runNow(r, $0, id) }
        case .attachNew(let q, let id): return withQueue(r, q) { uploadAttachment(r, $0, id) }
        case .attachPost(let q, let id, let name): return withQueue(r, q) { deleteAttachment(r, $0, id, name) }
        case .log(let q, let id, let name): return withMessage(r, q, id) { logFile(r, $0, name) }
        case .attachment(let q, let id, let name): return withMessage(r, q, id) { attachmentFile(r, $0, name) }
        case .tailView(let q, let id, let name): return withMessage(r, q, id) { tailView(r, $0, attachment: name) }
        case .tailViewLog(let q, let id, let name): return withMessage(r, q, id) { tailView(r, $0, log: name) }
        case .messagePost(let q, let id): return withQueue(r, q) { messagePost(r, $0, id) }
        case .bulkErr(let q): return withQueue(r, q) { bulkErr(r, $0) }
        case .asset(let name): return asset(r, name)
        case .metrics: return metricsPage()
        case .openAPI: return asset(r, "openapi.json")
        }
    }

    /// "Queue not found" means the directory `queue/<name>` is missing (spec §3.2); names
    /// are checked against the grammar first so nothing odd reaches the file system.
    private func withQueue(_ r: WebRequest, _ name: String, _ body: (String) -> WebResponse) -> WebResponse {
        guard QueueName.isValid(name), registry.contains(name) else { return notFound(r, "404 - Queue not found") }
        return body(name)
    }

    private func withMessage(_ r: WebRequest, _ queue: String, _ id: String, _ body: (MessageView) -> WebResponse) -> WebResponse {
        withQueue(r, queue) { q in
            guard MessageID.isValid(id, allowAcked: true), let message = loadMessage(q, id) else { return notFound(r, "404 - Message ID not found") }
            return body(message)
        }
    }
}
