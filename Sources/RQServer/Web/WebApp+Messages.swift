import Foundation
import RQStore

/// Message-level routes (spec rest.md §3.3.11 and §3.4).
extension WebApp {
    /// Batch ingest: an NDJSON body, one message per line; per-line results in order.
    func createMessages(_ r: WebRequest, _ q: String) -> WebResponse {
        let result = MessageBatch.entries(ndjson: r.http.body).flatMap { operations.createBatch(q, $0) }
        switch result {
        case .success(let results): return .json(MessageBatch.json(results).compactString)
        case .failure(let error): return stopping(r, error) ?? failure(r, 400, error.reason)
        }
    }

    func createMessage(_ r: WebRequest, _ q: String) -> WebResponse {
        let format = r.format(default: "json")
        var message: JSONObject
        if format == "html" {
            message = RackParams.object(named: "mesg", in: r.http.fields) ?? [:]
        } else {
            guard let text = r.field("mesg") else { return failure(r, 400, "missing 'mesg' parameter") }
            guard case .object(let object)? = JSONValue.parsed(text) else { return failure(r, 400, "'mesg' is not a JSON object") }
            message = object
        }
        let method = message.removeValue(forKey: "_method")?.stringValue ?? "commit"
        guard let mode = CreateMode(rawValue: method) else { return failure(r, 400, "400 - Invalid method param") }
        if case .string(let hooks)? = message["post_run_webhook"] {
            message["post_run_webhook"] = .array(hooks.split(whereSeparator: \.isWhitespace).map { .string(String($0)) })
        }
        if case .object(let hooks)? = message["post_run_webhook"] {
            message["post_run_webhook"] = .array(hooks.keys.sorted().compactMap { hooks[$0] })
        }
        let result = operations.create(q, message, mode: mode)
        if case .failure(let error) = result, let stop = stopping(r, error) { return stop }
        if format != "html" { return queueReply(result) { Reply.ok(.string($0)) } }
        let flash: Flash
        switch result {
        case .success(let fullID): flash = Flash(kind: .notice, text: "Created message \(fullID)")
        case .failure(let error): flash = Flash(kind: .error, text: "Error creating message: \(error.reason)")
        }
        if r.has("back") { return .redirect(r.back(or: "/q/\(URLPath.segment(q))"), flash: flash) }
        return newMessageResult(r, q, result: result)
    }

    /// `POST /q/<n>/<id>` with `_method` commit / delete / destroy (spec §3.4.11).
    func messagePost(_ r: WebRequest, _ q: String, _ id: String) -> WebResponse {
        typealias Operation = (String, String) -> Result<Void, QueueError>
        let table: [String: (operation: Operation, reply: String, done: String, failLabel: String, okTarget: String)] = [
            "commit": (operations.commit, Reply.committed, "Message committed successfully", "Commit", "/q/\(URLPath.segment(q))/\(id)"),
            "delete": (operations.delete, Reply.deleted, "Message deleted successfully", "Delete", "/q/\(URLPath.segment(q))"),
            "destroy": (operations.destroy, Reply.destroyed, "Message destroyed successfully", "destroy", "/q/\(URLPath.segment(q))"),
        ]
        guard let method = r.field("_method"), let entry = table[method] else { return failure(r, 400, "400 - Invalid method param") }
        guard MessageID.isValid(id, allowAcked: true) else { return notFound(r, "404 - Message ID not found") }
        let result = entry.operation(q, id)
        if case .failure(let error) = result, let stop = stopping(r, error) { return stop }
        if r.format(default: "html") == "json" { return queueReply(result) { entry.reply } }
        switch result {
        case .success: return .redirect(entry.okTarget, flash: Flash(kind: .notice, text: entry.done))
        case .failure(let error):
            return .redirect("/q/\(URLPath.segment(q))/\(id)", flash: Flash(kind: .error, text: "\(entry.failLabel) got \(error.pageText)"))
        }
    }

    func cloneMessage(_ r: WebRequest, _ q: String, _ id: String) -> WebResponse {
        guard MessageID.isValid(id, allowAcked: true) else { return notFound(r, "404 - Message ID not found") }
        switch operations.clone(q, id) {
        case .failure(let error):
            return stopping(r, error) ?? failure(r, 500, "500 - Couldn't clone message. \(error.pageText).")
        case .success(let newID):
            if r.wantsJSON { return .json(Reply.ok(.string(newID))) }
            return .redirect("/q/\(URLPath.segment(q))", flash: Flash(kind: .notice, text: "Message cloned successfully"))
        }
    }

    func runNow(_ r: WebRequest, _ q: String, _ id: String) -> WebResponse {
        guard MessageID.isValid(id, allowAcked: true) else { return notFound(r, "404 - Message ID not found") }
        switch operations.runNow(q, id) {
        case .failure(let error):
            return stopping(r, error) ?? failure(r, 500, "500 - Couldn't run message. \(error.pageText).")
        case .success:
            if r.wantsJSON { return .json(Reply.sentToFront) }
            return .redirect("/q/\(URLPath.segment(q))/\(id)", flash: Flash(kind: .notice, text: "Message in run successfully"))
        }
    }

    /// Multipart upload: the file part `filedata` was streamed to disk (with its md5) by the
    /// HTTP layer; the queue hard-links it into the message without hashing it again, then the
    /// upload copy goes away.
    func uploadAttachment(_ r: WebRequest, _ q: String, _ id: String) -> WebResponse {
        guard MessageID.isValid(id, allowAcked: true) else { return notFound(r, "404 - Message ID not found") }
        guard let file = r.http.files.first(where: { $0.fieldName == "filedata" }), !file.filename.isEmpty else {
            return notFound(r, "404 - no 'filedata' file part")
        }
        let result = operations.attach(q, id, pathname: file.path, name: file.filename, knownMD5: file.md5)
        if case .failure(let error) = result, let stop = stopping(r, error) { return stop }
        if r.format(default: "html") == "json" { return queueReply(result, Reply.attached) }
        switch result {
        case .success: return .redirect("/q/\(URLPath.segment(q))/\(id)", flash: Flash(kind: .notice, text: "Attached message successfully"))
        case .failure(let error): return .text("Commit \(q)/\(id) got \(error.pageText)")
        }
    }

    func deleteAttachment(_ r: WebRequest, _ q: String, _ id: String, _ name: String) -> WebResponse {
        guard r.field("_method") == "delete" else { return failure(r, 400, "400 - Invalid method param") }
        guard MessageID.isValid(id, allowAcked: true) else { return notFound(r, "404 - Message ID not found") }
        let result = operations.deleteAttachment(q, id, name: name)
        if case .failure(let error) = result, let stop = stopping(r, error) { return stop }
        if r.format(default: "html") == "json" { return queueReply(result) { Reply.attachmentDeleted } }
        switch result {
        case .success: return .redirect("/q/\(URLPath.segment(q))/\(id)", flash: Flash(kind: .notice, text: "Attachment deleted successfully"))
        case .failure(let error): return .text("Delete of attach \(name) on \(q)/\(id) got \(error.pageText)")
        }
    }
}
