import Foundation
import RQStore

/// Queue-level routes (spec rest.md §3.3).
extension WebApp {
    func createQueue(_ r: WebRequest) -> WebResponse {
        guard config.allowNewQueue else { return failure(r, 403, "Queue creation not allowed at this time.") }
        let params = RackParams.object(named: "queue", in: r.http.fields) ?? [:]
        let reply = managerReply(managerOperations.createQueue(params)) { _ in Reply.createdValue }
        let name = params["name"]?.stringValue ?? ""
        if r.wantsJSON { return .json(reply.compactString) }
        guard reply[0]?.stringValue == "success" else {
            // The form again, with the reason and what was typed: a refused name may not even
            // make a valid URL to redirect to.
            let reason = reply[1]?.stringValue ?? RubyInspect.of(reply)
            return newQueueFormPage(r, NewQueueForm(root: config.relativeRoot, typed: params, problem: reason), status: 400)
        }
        return .redirect("/q/" + URLPath.segment(name), flash: creationNotice(.object(params), reply))
    }

    func createQueueLink(_ r: WebRequest) -> WebResponse {
        guard config.allowNewQueue else { return failure(r, 403, "Queue creation not allowed at this time.") }
        let path = r.field("queue[json_path]") ?? ""
        let full = path.hasPrefix("/") ? path : root + "/" + path
        guard !path.isEmpty, let data = FileManager.default.contents(atPath: full),
              let json = JSONValue.parsed(String(decoding: data, as: UTF8.self)), case .object = json else {
            return notFound(r, "404 - Couldn't parse json file (\(path)).")
        }
        let reply = managerReply(managerOperations.createQueueLink(configPath: path)) { _ in Reply.createdValue }
        if r.wantsJSON { return .json(reply.compactString) }
        let params: JSONValue = .object(["queue": .object(["json_path": .string(path)])])
        return .redirect("/q/" + URLPath.segment(json["name"]?.stringValue ?? ""), flash: creationNotice(params, reply))
    }

    func deleteQueue(_ r: WebRequest) -> WebResponse {
        guard config.allowNewQueue else { return failure(r, 403, "Queue deletion not allowed at this time.") }
        let name = r.field("queue_name") ?? ""
        let reply = managerReply(managerOperations.deleteQueue(name)) { Reply.deletingQueueValue }
        if r.wantsJSON { return .json(reply.compactString) }
        return .redirect("/", flash: creationNotice(.object(["queue_name": .string(name)]), reply))
    }

    private func creationNotice(_ params: JSONValue, _ reply: JSONValue) -> Flash {
        Flash(kind: .notice, text: "We got \(RubyInspect.of(params)) from form, and \(RubyInspect.of(reply)) from QueueMgr")
    }

    /// `/q/<name>.txt` (exact layout of the original, spec §3.3.8 a).
    func queueStatusText(_ r: WebRequest, _ q: String) -> WebResponse {
        let status = queueStatus(q)
        if status == "DOWN" { return .text("\nstatus: DOWN\n\n") }
        let c = counts(q)
        let uptime = (try? operations.uptime(q).get()) ?? 0
        return .text("\nstatus: \(status)\n\nuptime: \(uptime)\n\n\nprep: \(c.prep)\nque: \(c.que)\nrun: \(c.run)\n\ndone: \(c.done)\nerr: \(c.err)\nrelayed: \(c.relayed)\n\n")
    }

    /// `/q/<name>.json` (spec §3.3.8 b; the original's odd newlines kept).
    func queueStatusJSON(_ r: WebRequest, _ q: String) -> WebResponse {
        let status = queueStatus(q)
        if status == "DOWN" { return .json("{\"status\":\"DOWN\"\n}\n") }
        let c = counts(q)
        let uptime = (try? operations.uptime(q).get()) ?? 0
        return .json("{\"status\":\(JSONText.string(status))\n,\"uptime\":\(uptime),\"prep_size\":\(c.prep),\"que_size\":\(c.que),\"run_size\":\(c.run),\"done_size\":\(c.done),\"err_size\":\(c.err),\"relayed_size\":\(c.relayed)}\n")
    }

    func doneList(_ r: WebRequest, _ q: String) -> WebResponse {
        let limit = max(0, Int(r.field("limit") ?? "") ?? 10)
        switch operations.messages(q, state: "done", limit: limit) {
        case .success(let ids): return .json(ids.compactString)
        case .failure(let error): return stopping(r, error) ?? .jsonError(500, "cannot list messages")
        }
    }

    func adminOper(_ r: WebRequest, _ q: String) -> WebResponse {
        let actions: [ManagerOperations.AdminChange] = [.pause, .resume, .down, .up]
        guard let change = actions.first(where: { !(r.field($0.rawValue) ?? "").isEmpty }) else {
            return failure(r, 400, "400 - Invalid method param")
        }
        let action = change.rawValue
        if case .failure(let error) = managerOperations.change(change, queue: q) {
            return failure(r, 500, "500 - Couldn't \(action) queue. \(error.pageText).")
        }
        if r.wantsJSON { return .json(Reply.ok(.string(q))) }
        return .redirect(r.back(or: "/q/\(URLPath.segment(q))"), flash: Flash(kind: .notice, text: "Successfully \(action)d queue \(q)"))
    }

    func restartQueue(_ r: WebRequest, _ q: String) -> WebResponse {
        if case .failure(let error) = managerOperations.restart(queue: q) {
            return failure(r, 500, "500 - Couldn't restart queue. \(error.pageText).")
        }
        if r.wantsJSON { return .json(Reply.ok(.string(q))) }
        return .redirect(r.back(or: "/q/\(URLPath.segment(q))"), flash: Flash(kind: .notice, text: "Successfully restarted queue \(q)"))
    }

    func ackErrs(_ r: WebRequest, _ q: String) -> WebResponse {
        let acknowledged: Int
        switch operations.ackErrs(q) {
        case .success(let count): acknowledged = count
        case .failure(let error): return stopping(r, error) ?? failure(r, 500, "500 - Couldn't ack errs queue. \(error.pageText).")
        }
        if r.wantsJSON { return .json(Reply.ok(.int(acknowledged))) }
        return .redirect(r.back(or: "/q/\(URLPath.segment(q))"), flash: Flash(kind: .notice, text: "Successfully acknowledged errors"))
    }

    func liveConfig(_ r: WebRequest, _ q: String) -> WebResponse {
        switch operations.config(q) {
        case .success(let config): return .json(config.json.compactString)
        case .failure(let error): return .jsonError(error.httpStatus, error.httpText)
        }
    }

    func configFile(_ r: WebRequest, _ q: String) -> WebResponse {
        serveFile(r, path: "\(root)/queue/\(q)/config.json", contentType: "application/json",
                  missing: "404 - Queue config for '\(q)' not found")
    }
}
