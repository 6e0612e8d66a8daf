import RQStore

/// `POST /q/<name>/bulk`: the queue page's err list actions on the checked messages
/// (`ids[]`). `_method=run_again` clones each into que (the clone keeps params and attachments
/// and records `cloned_from`) and then deletes the err entry; `_method=delete` deletes them.
extension WebApp {
    func bulkErr(_ r: WebRequest, _ q: String) -> WebResponse {
        guard let method = r.field("_method"), ["run_again", "delete"].contains(method) else {
            return failure(r, 400, "400 - Invalid method param")
        }
        let ids = r.http.fields.filter { $0.name == "ids[]" }.map { $0.value }
        guard !ids.isEmpty, ids.allSatisfy({ MessageID.isValid($0, allowAcked: false) }) else {
            return failure(r, 400, "400 - no valid message ids")
        }
        var done: [JSONValue] = []
        var failed: JSONObject = [:]
        for id in ids {
            switch operations.state(q, id) {
            case .failure(let error):
                if let stop = stopping(r, error) { return stop }
                failed[id] = .string(error.reason)
                continue
            case .success(let state) where state != .err:
                failed[id] = .string("msg not in err")
                continue
            case .success:
                break
            }
            if method == "run_again", case .failure(let error) = operations.clone(q, id) {
                failed[id] = .string(error.reason)
                continue
            }
            switch operations.delete(q, id) {
            case .success: done.append(.string(id))
            case .failure(let error): failed[id] = .string(error.reason)
            }
        }
        if r.wantsJSON { return .json(JSONValue.object(["ok": .array(done), "failed": .object(failed)]).compactString) }
        let verb = method == "run_again" ? "Queued again" : "Deleted"
        var text = "\(verb) \(done.count) message(s)"
        if !failed.isEmpty { text += "; failed: " + failed.map { "\($0.key) (\($0.value.stringValue ?? ""))" }.joined(separator: ", ") }
        return .redirect(r.back(or: "/q/\(URLPath.segment(q))"), flash: Flash(kind: failed.isEmpty ? .notice : .error, text: text))
    }
}
