/// rest-api.md §3.1.5: while `config/rq_router_rules.json` exists, the message-level routes
/// (those marked **R**) address the queue `rq_router` instead of their own, except for `relay`
/// and `cleaner`; the router then forwards each message by its rules.
extension Route {
    static let router = "rq_router"
    static let neverRouted: Set<String> = ["relay", "cleaner"]

    var divertedToRouter: Route {
        func to(_ queue: String) -> String { Self.neverRouted.contains(queue) ? queue : Self.router }
        switch self {
        case .home, .newQueueForm, .newQueue, .newQueueLink, .deleteQueue, .queueListText, .queueListJSON,
             .queuePage, .queueText, .queueJSON, .doneJSON, .newMessageForm, .adminOper, .restart, .configFile,
             .bulkErr, .asset, .metrics, .openAPI:
            return self
        case .newMessage(let q): return .newMessage(queue: to(q))
        case .messageBatch(let q): return .messageBatch(queue: to(q))
        case .ackErrs(let q): return .ackErrs(queue: to(q))
        case .liveConfig(let q): return .liveConfig(queue: to(q))
        case .messagePage(let q, let id): return .messagePage(queue: to(q), id: id)
        case .messageJSON(let q, let id): return .messageJSON(queue: to(q), id: id)
        case .messageState(let q, let id): return .messageState(queue: to(q), id: id)
        case .clone(let q, let id): return .clone(queue: to(q), id: id)
        case .runNow(let q, let id): return .runNow(queue: to(q), id: id)
        case .attachNew(let q, let id): return .attachNew(queue: to(q), id: id)
        case .attachPost(let q, let id, let name): return .attachPost(queue: to(q), id: id, name: name)
        case .log(let q, let id, let name): return .log(queue: to(q), id: id, name: name)
        case .attachment(let q, let id, let name): return .attachment(queue: to(q), id: id, name: name)
        case .tailView(let q, let id, let name): return .tailView(queue: to(q), id: id, name: name)
        case .tailViewLog(let q, let id, let name): return .tailViewLog(queue: to(q), id: id, name: name)
        case .messagePost(let q, let id): return .messagePost(queue: to(q), id: id)
        }
    }
}
