/// Every HTTP route of spec rest.md §3.2, matched from already-validated path segments.
/// Order matters where patterns overlap (first match wins), as in the original.
enum Route: Equatable {
    case home
    case newQueueForm, newQueue, newQueueLink, deleteQueue
    case queueListText, queueListJSON
    case queuePage(queue: String), queueText(queue: String), queueJSON(queue: String)
    case doneJSON(queue: String)
    case newMessageForm(queue: String), newMessage(queue: String), messageBatch(queue: String)
    case adminOper(queue: String), restart(queue: String), ackErrs(queue: String)
    case configFile(queue: String), liveConfig(queue: String)
    case messagePage(queue: String, id: String), messageJSON(queue: String, id: String)
    case messageState(queue: String, id: String)
    case clone(queue: String, id: String), runNow(queue: String, id: String)
    case attachNew(queue: String, id: String), attachPost(queue: String, id: String, name: String)
    case log(queue: String, id: String, name: String), attachment(queue: String, id: String, name: String)
    case tailView(queue: String, id: String, name: String), tailViewLog(queue: String, id: String, name: String)
    case messagePost(queue: String, id: String)
    case bulkErr(queue: String)
    case asset(name: String), metrics, openAPI

    /// The queue and message id of routes whose answer includes the message's attachments.
    var shownMessage: (queue: String, id: String)? {
        switch self {
        case .messagePage(let q, let id), .messageJSON(let q, let id), .messageState(let q, let id), .log(let q, let id, _),
             .attachment(let q, let id, _), .tailView(let q, let id, _), .tailViewLog(let q, let id, _):
            return (q, id)
        default:
            return nil
        }
    }

    static func match(method: String, segments s: [String]) -> Route? {
        let get = method == "GET" || method == "HEAD"
        let post = method == "POST"
        switch s.count {
        case 0: return get ? .home : nil
        case 1:
            switch (s[0], get, post) {
            case ("new_queue", true, _): return .newQueueForm
            case ("new_queue", _, true): return .newQueue
            case ("new_queue_link", _, true): return .newQueueLink
            case ("delete_queue", _, true): return .deleteQueue
            case ("q.txt", true, _): return .queueListText
            case ("q.json", true, _): return .queueListJSON
            case ("metrics", true, _): return .metrics
            case ("openapi.json", true, _): return .openAPI
            case ("favicon.ico", true, _): return .asset(name: "favicon.ico")
            default: return nil
            }
        case 2:
            guard get else { return nil }
            if s[0] == "css" || s[0] == "js" { return .asset(name: s[0] + "/" + s[1]) }
            guard s[0] == "q" else { return nil }
            return queueVariant(s[1])
        case 3:
            guard s[0] == "q" else { return nil }
            let q = s[1]
            switch (s[2], get, post) {
            case ("done.json", true, _): return .doneJSON(queue: q)
            case ("new_message", true, _): return .newMessageForm(queue: q)
            case ("new_message", _, true): return .newMessage(queue: q)
            case ("messages", _, true): return .messageBatch(queue: q)
            case ("adminoper", _, true): return .adminOper(queue: q)
            case ("restart", _, true): return .restart(queue: q)
            case ("ack_errs", _, true): return .ackErrs(queue: q)
            case ("bulk", _, true): return .bulkErr(queue: q)
            case ("config.json", true, _): return .configFile(queue: q)
            case ("config", true, _): return .liveConfig(queue: q)
            case (let id, true, _):
                if id.hasSuffix(".json") { return .messageJSON(queue: q, id: String(id.dropLast(5))) }
                return .messagePage(queue: q, id: id)
            case (let id, _, true): return .messagePost(queue: q, id: id)
            default: return nil
            }
        case 4:
            guard s[0] == "q" else { return nil }
            switch (s[3], get, post) {
            case ("state.json", true, _): return .messageState(queue: s[1], id: s[2])
            case ("clone", _, true): return .clone(queue: s[1], id: s[2])
            case ("run_now", _, true): return .runNow(queue: s[1], id: s[2])
            default: return nil
            }
        case 5:
            guard s[0] == "q" else { return nil }
            let (q, id, name) = (s[1], s[2], s[4])
            switch (s[3], get, post) {
            case ("attach", _, true): return name == "new" ? .attachNew(queue: q, id: id) : .attachPost(queue: q, id: id, name: name)
            case ("attach", true, _): return .attachment(queue: q, id: id, name: name)
            case ("log", true, _): return .log(queue: q, id: id, name: name)
            case ("tailview", true, _): return .tailView(queue: q, id: id, name: name)
            case ("tailviewlog", true, _): return .tailViewLog(queue: q, id: id, name: name)
            default: return nil
            }
        default:
            return nil
        }
    }

    /// `/q/<name>`, `/q/<name>.txt`, `/q/<name>.json` (spec §3.3.8: the part before the first `.txt`).
    private static func queueVariant(_ segment: String) -> Route {
        if let range = segment.range(of: ".txt") { return .queueText(queue: String(segment[..<range.lowerBound])) }
        if segment.hasSuffix(".json") { return .queueJSON(queue: String(segment.dropLast(5))) }
        return .queuePage(queue: segment)
    }

    /// Whether the caller wants JSON bodies for errors (spec rest.md: `.json` routes).
    var isJSONRoute: Bool {
        switch self {
        case .queueListJSON, .queueJSON, .doneJSON, .configFile, .liveConfig, .messageJSON, .messageState, .openAPI,
             .messageBatch: return true
        default: return false
        }
    }
}

extension Route {
    /// A stable name per kind of route: the OpenAPI `operationId` and the `route` label of the
    /// HTTP metrics (bounded: never contains a queue name or id).
    var name: String {
        switch self {
        case .home: return "home"
        case .newQueueForm: return "new_queue_form"
        case .newQueue: return "new_queue"
        case .newQueueLink: return "new_queue_link"
        case .deleteQueue: return "delete_queue"
        case .queueListText: return "queue_list_text"
        case .queueListJSON: return "queue_list_json"
        case .queuePage: return "queue_page"
        case .queueText: return "queue_status_text"
        case .queueJSON: return "queue_status_json"
        case .doneJSON: return "done_list"
        case .newMessageForm: return "new_message_form"
        case .newMessage: return "new_message"
        case .messageBatch: return "message_batch"
        case .adminOper: return "admin_oper"
        case .restart: return "restart_queue"
        case .ackErrs: return "ack_errs"
        case .configFile: return "config_file"
        case .liveConfig: return "live_config"
        case .messagePage: return "message_page"
        case .messageJSON: return "message_json"
        case .messageState: return "message_state"
        case .clone: return "clone_message"
        case .runNow: return "run_now"
        case .attachNew: return "attach_new"
        case .attachPost: return "attach_delete"
        case .log: return "log_file"
        case .attachment: return "attachment_file"
        case .tailView: return "tail_view"
        case .tailViewLog: return "tail_view_log"
        case .messagePost: return "message_post"
        case .bulkErr: return "bulk_err"
        case .asset: return "asset"
        case .metrics: return "metrics"
        case .openAPI: return "openapi"
        }
    }
}
