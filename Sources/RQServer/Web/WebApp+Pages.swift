import RQStore

/// The HTML pages. Plain for now; every value is escaped.
extension WebApp {
    private func link(_ path: String) -> String { HTML.escape(config.relativeRoot + path) }

    func homePage(_ r: WebRequest) -> WebResponse {
        var rows = ""
        for name in registry.names {
            let c = counts(name)
            rows += "<tr><td><a href=\"\(link("q/" + urlSegment(name)))\">\(HTML.escape(name))</a></td><td>\(HTML.escape(queueStatus(name)))</td>"
            rows += c.listed.map { "<td>\($0.count)</td>" }.joined() + "</tr>\n"
        }
        let body = """
        <p id="mgr-status">QUEUE MGR is OPERATIONAL</p>
        <table id="queues"><tr><th>queue</th><th>status</th><th>prep</th><th>que</th><th>run</th><th>done</th><th>err</th><th>relayed</th></tr>
        \(rows)</table>
        <p><a href="\(link("new_queue"))">new queue</a></p>
        """
        return .html(HTML.page(title: "Queues", env: config.env, flash: r.flash, body: body))
    }

    func newQueueForm(_ r: WebRequest) -> WebResponse {
        guard config.allowNewQueue else { return failure(r, 403, "Queue creation not allowed at this time.") }
        let body = """
        <form method="post" action="\(link("new_queue"))">
        <p>name <input name="queue[name]"></p>
        <p>script <input name="queue[script]"></p>
        <p>num_workers <input name="queue[num_workers]" value="1"></p>
        <p>exec_prefix <input name="queue[exec_prefix]" value="bash -lc "></p>
        <p><input type="submit" value="create"></p>
        </form>
        """
        return .html(HTML.page(title: "New queue", env: config.env, flash: r.flash, body: body))
    }

    func queuePage(_ r: WebRequest, _ q: String) -> WebResponse {
        let c = counts(q)
        let config = (try? operations.config(q).get().json.compactString) ?? "{}"
        var lists = ""
        for state in ["que", "run", "done", "err"] {
            let listed = (try? operations.messages(q, state: state).get()) ?? []
            let ids: [String] = (listed.arrayValue ?? []).compactMap { $0.stringValue ?? $0[0]?.stringValue }
            lists += "<h3>\(state)</h3><ul class=\"\(state)\">" + ids.map {
                "<li><a href=\"\(link("q/" + urlSegment(q) + "/" + $0))\">\(HTML.escape($0))</a></li>"
            }.joined() + "</ul>\n"
        }
        let body = """
        <p id="status">status: \(HTML.escape(queueStatus(q)))</p>
        <p id="counts">\(c.listed.map { "\($0.state): \($0.count)" }.joined(separator: " "))</p>
        <pre id="config">\(HTML.escape(config))</pre>
        \(lists)
        <form method="post" action="\(link("q/" + urlSegment(q) + "/adminoper"))">
        <input type="submit" name="pause" value="pause"><input type="submit" name="resume" value="resume">
        <input type="submit" name="down" value="down"><input type="submit" name="up" value="up"></form>
        <p><a href="\(link("q/" + urlSegment(q) + "/new_message"))">new message</a></p>
        """
        return .html(HTML.page(title: "Queue \(q)", env: self.config.env, flash: r.flash, body: body))
    }

    func newMessageForm(_ r: WebRequest, _ q: String) -> WebResponse {
        let body = """
        <form method="post" action="\(link("q/" + urlSegment(q) + "/new_message"))">
        <input type="hidden" name="x_format" value="html">
        <p>dest <input name="mesg[dest]" value="\(HTML.escape(q))"></p>
        <p>src <input name="mesg[src]"></p>
        \((1...4).map { "<p>param\($0) <input name=\"mesg[param\($0)]\"></p>" }.joined(separator: "\n"))
        <p><input type="submit" value="send"></p>
        </form>
        """
        return .html(HTML.page(title: "New message for \(q)", env: config.env, flash: r.flash, body: body))
    }

    /// Fields shown as `<td> key</td><td> value </td>`-like rows, so the original's regexes
    /// (`\scount[^:]+:[^2]+2\s`) still match (spec web-ui.md §8.4).
    func messagePage(_ r: WebRequest, _ m: MessageView) -> WebResponse {
        var rows = ""
        if case .object(let fields) = m.json {
            for key in fields.keys.sorted() where key != "_attachments" {
                let value = fields[key]?.stringValue ?? fields[key]?.compactString ?? ""
                rows += "<tr><td class=\"key\"> \(HTML.escape(key)) :</td><td class=\"value\"> \(HTML.escape(value)) </td></tr>\n"
            }
        }
        let base = "q/" + urlSegment(m.queue) + "/" + m.id
        let body = """
        <p id="state">state: \(HTML.escape(m.state))</p>
        <p id="status">status: \(HTML.escape(m.status))</p>
        <table id="message">\n\(rows)</table>
        <p><a href="\(link(base + "/log/stdio.log"))">stdio.log</a> <a href="\(link(base + "/tailviewlog/stdio.log"))">tail</a></p>
        """
        return .html(HTML.page(title: "Message \(m.id)", env: config.env, flash: r.flash, body: body))
    }

    func tailView(_ r: WebRequest, _ m: MessageView, attachment: String) -> WebResponse {
        tailPage(r, m, name: attachment, tailPath: "q/\(urlSegment(m.queue))/\(m.id)/attach/\(urlSegment(attachment))")
    }

    func tailView(_ r: WebRequest, _ m: MessageView, log: String) -> WebResponse {
        tailPage(r, m, name: log, tailPath: "q/\(urlSegment(m.queue))/\(m.id)/log/\(urlSegment(log))")
    }

    private func tailPage(_ r: WebRequest, _ m: MessageView, name: String, tailPath: String) -> WebResponse {
        let body = """
        <pre id="tail" data-tail-path="\(link(tailPath))" data-state-path="\(link("q/" + urlSegment(m.queue) + "/" + m.id + "/state.json"))"></pre>
        """
        return .html(HTML.page(title: "RQ :: \(name)", env: config.env, flash: r.flash, body: body))
    }
}
