import Foundation
import RQStore

/// The HTML pages, each rendered from its template (Web/Templates) with a view model
/// (Web/Views); each page's JSON twin (`x_format=json`) gives the same data to scripts.
extension WebApp {
    func layout(_ r: WebRequest, title: String, crumbs: [Layout.Crumb] = [], live: String? = nil) -> Layout {
        Layout(title: title, root: config.relativeRoot, env: config.env,
               flash: r.flash.map { Layout.FlashModel(kind: $0.kind.rawValue, text: $0.text) },
               crumbs: crumbs, allowNewQueue: config.allowNewQueue,
               serverTime: Formatting.serverTime(now()), live: live)
    }

    func queueCrumb(_ q: String) -> Layout.Crumb {
        Layout.Crumb(label: q, href: config.relativeRoot + "q/" + URLPath.segment(q))
    }

    var uptime: Int { max(0, Int(now() - startTime)) }

    func snapshots() -> [QueueSnapshot] { registry.queues.map(QueueSnapshot.init(store:)) }

    func homePage(_ r: WebRequest) -> WebResponse {
        let page = HomePage(snapshots: snapshots(), metrics: metrics, root: config.relativeRoot,
                            pid: getpid(), uptime: uptime, now: now(), timerDueTimes: timerDueTimes())
        if r.wantsJSON { return .json(page.jsonText) }
        return .html(PageRenderer.page("home", page, layout: layout(r, title: "RQ", live: "home")))
    }

    func queuePage(_ r: WebRequest, _ q: String) -> WebResponse {
        guard let store = registry.queue(q) else { return notFound(r, "404 - Queue not found") }
        var page = QueuePage(store: store, snapshot: QueueSnapshot(store: store), metrics: metrics, root: config.relativeRoot,
                             pid: getpid(), uptime: uptime, now: now(), stateFilter: r.field("state"), textFilter: r.field("filter"))
        if r.wantsJSON { return .json(page.jsonText) }
        if let overrides = try? NewMessageForm.overrides(queueDirectory: store.directory) {
            let form = NewMessageForm(queue: q, root: config.relativeRoot, overrides: overrides, back: page.back)
            page.newMessageForm = PageRenderer.render("new_message", form)
        } else {
            page.newMessageForm = PageRenderer.render("error", ErrorPage(root: config.relativeRoot, heading: "New message", text: "500 - Bad overrides file"))
        }
        return .html(PageRenderer.page("queue", page, layout: layout(r, title: "RQ :: \(q)", crumbs: [queueCrumb(q)], live: "queue")))
    }

    func messagePage(_ r: WebRequest, _ m: MessageView) -> WebResponse {
        if r.wantsJSON { return .json(m.json.compactString) }
        let page = MessagePage(message: m, root: config.relativeRoot)
        let crumbs = [queueCrumb(m.queue), Layout.Crumb(label: m.id, href: page.base)]
        return .html(PageRenderer.page("message", page, layout: layout(r, title: "RQ :: \(m.queue)", crumbs: crumbs, live: "message")))
    }

    func tailView(_ r: WebRequest, _ m: MessageView, attachment: String) -> WebResponse {
        tailPage(r, m, name: attachment, kind: "attach")
    }

    func tailView(_ r: WebRequest, _ m: MessageView, log: String) -> WebResponse {
        tailPage(r, m, name: log, kind: "log")
    }

    private func tailPage(_ r: WebRequest, _ m: MessageView, name: String, kind: String) -> WebResponse {
        let base = config.relativeRoot + "q/" + URLPath.segment(m.queue) + "/" + m.id
        let page = TailPage(title: "RQ :: \(m.queue) :: \(name)", name: name, root: config.relativeRoot,
                            tailPath: base + "/" + kind + "/" + URLPath.segment(name), statePath: base + "/state.json", state: m.state)
        return .html(PageRenderer.render("tail", page))
    }

    func newQueueForm(_ r: WebRequest) -> WebResponse {
        guard config.allowNewQueue else { return failure(r, 403, "Queue creation not allowed at this time.") }
        return newQueueFormPage(r, NewQueueForm(root: config.relativeRoot), status: 200)
    }

    func newQueueFormPage(_ r: WebRequest, _ form: NewQueueForm, status: Int) -> WebResponse {
        .html(status, PageRenderer.page("new_queue", form, layout: layout(r, title: "RQ :: New Queue")))
    }

    func newMessageForm(_ r: WebRequest, _ q: String) -> WebResponse {
        guard let store = registry.queue(q) else { return notFound(r, "404 - Queue not found") }
        let overrides: JSONObject
        do { overrides = try NewMessageForm.overrides(queueDirectory: store.directory) } catch {
            return failure(r, 500, "500 - Bad overrides file")
        }
        let form = NewMessageForm(queue: q, root: config.relativeRoot, overrides: overrides)
        return .html(PageRenderer.page("new_message", form, layout: layout(r, title: "RQ :: \(q)", crumbs: [queueCrumb(q)])))
    }

    func newMessageResult(_ r: WebRequest, _ q: String, result created: Result<String, QueueError>) -> WebResponse {
        var fullID = "", reason = ""
        switch created {
        case .success(let id): fullID = id
        case .failure(let error): reason = error.reason
        }
        let result = NewMessageResult(queue: q, queueHref: config.relativeRoot + "q/" + URLPath.segment(q), ok: !fullID.isEmpty,
                                      fullID: fullID, first: "fail", reason: reason)
        var page = layout(r, title: "RQ :: \(q)", crumbs: [queueCrumb(q)])
        // The same words the flash carries when the form came with `back`.
        page.flash = result.ok ? Layout.FlashModel(kind: "notice", text: "Created message \(fullID)")
            : Layout.FlashModel(kind: "error", text: "Error creating message: \(reason)")
        return .html(PageRenderer.page("new_message_result", result, layout: page))
    }

    /// A layout page for an error status: what browsers get instead of the original's bare text.
    func errorPage(status: Int, text: String, flash: Flash?) -> WebResponse {
        let headings = [400: "Bad Request", 401: "Not Authorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
                        413: "Too Large", 500: "Server Error", 503: "Service Unavailable"]
        let page = ErrorPage(root: config.relativeRoot, heading: headings[status] ?? "Error \(status)", text: text)
        let layout = Layout(title: "RQ", root: config.relativeRoot, env: config.env,
                            flash: flash.map { Layout.FlashModel(kind: $0.kind.rawValue, text: $0.text) },
                            allowNewQueue: config.allowNewQueue, serverTime: Formatting.serverTime(now()))
        return .html(status, PageRenderer.page("error", page, layout: layout))
    }
}
