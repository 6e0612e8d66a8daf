import Foundation
import RQStore

/// Message-level routes (spec rest.md §3.3.11 and §3.4).
extension WebApp {
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
        let commands = ["commit": "create_message", "prep": "prep_message", "single_que": "single_que"]
        guard let command = commands[method] else { return failure(r, 400, "400 - Invalid method param") }
        if case .string(let hooks)? = message["post_run_webhook"] {
            message["post_run_webhook"] = .array(hooks.split(whereSeparator: \.isWhitespace).map { .string(String($0)) })
        }
        if case .object(let hooks)? = message["post_run_webhook"] {
            message["post_run_webhook"] = .array(hooks.keys.sorted().compactMap { hooks[$0] })
        }
        let replyText = callText(q, command, message)
        let reply = JSONValue.parsed(replyText) ?? .null
        if reply[1]?.stringValue == "status: DOWN" {
            return failure(r, 503, "503 - Service Unavailable - Operationally Down")
        }
        if format != "html" { return .json(replyText) }
        let ok = isOK(reply)
        let text = ok ? "Created message \(reply[1]?.stringValue ?? "")" : "Error creating message: \(reply[1]?.stringValue ?? RubyInspect.of(reply))"
        if let back = r.field("back") { return .redirect(back, flash: Flash(kind: ok ? .notice : .error, text: text)) }
        return newMessageResult(r, q, reply: reply)
    }

    /// `POST /q/<n>/<id>` with `_method` commit / delete / destroy (spec §3.4.11).
    func messagePost(_ r: WebRequest, _ q: String, _ id: String) -> WebResponse {
        let table: [String: (command: String, done: String, failLabel: String, okTarget: String)] = [
            "commit": ("commit_message", "Message committed successfully", "Commit", "/q/\(URLPath.segment(q))/\(id)"),
            "delete": ("delete_message", "Message deleted successfully", "Delete", "/q/\(URLPath.segment(q))"),
            "destroy": ("destroy_message", "Message destroyed successfully", "destroy", "/q/\(URLPath.segment(q))"),
        ]
        guard let method = r.field("_method"), let entry = table[method] else { return failure(r, 400, "400 - Invalid method param") }
        guard MessageID.isValid(id, allowAcked: true) else { return notFound(r, "404 - Message ID not found") }
        let replyText = callText(q, entry.command, ["msg_id": .string(id)])
        if r.format(default: "html") == "json" { return .json(replyText) }
        let reply = JSONValue.parsed(replyText) ?? .null
        if isOK(reply) { return .redirect(entry.okTarget, flash: Flash(kind: .notice, text: entry.done)) }
        return .redirect("/q/\(URLPath.segment(q))/\(id)", flash: Flash(kind: .error, text: "\(entry.failLabel) got \(RubyInspect.of(reply))"))
    }

    func cloneMessage(_ r: WebRequest, _ q: String, _ id: String) -> WebResponse {
        guard MessageID.isValid(id, allowAcked: true) else { return notFound(r, "404 - Message ID not found") }
        let reply = call(q, "clone_message", ["msg_id": .string(id)])
        guard isOK(reply) else { return failure(r, 500, "500 - Couldn't clone message. \(RubyInspect.of(reply)).") }
        if r.wantsJSON { return .json(reply.compactString) }
        return .redirect("/q/\(URLPath.segment(q))", flash: Flash(kind: .notice, text: "Message cloned successfully"))
    }

    func runNow(_ r: WebRequest, _ q: String, _ id: String) -> WebResponse {
        guard MessageID.isValid(id, allowAcked: true) else { return notFound(r, "404 - Message ID not found") }
        let reply = call(q, "run_message", ["msg_id": .string(id)])
        guard isOK(reply) else { return failure(r, 500, "500 - Couldn't run message. \(RubyInspect.of(reply)).") }
        if r.wantsJSON { return .json(reply.compactString) }
        return .redirect("/q/\(URLPath.segment(q))/\(id)", flash: Flash(kind: .notice, text: "Message in run successfully"))
    }

    /// Multipart upload: the file part `filedata` was streamed to disk (with its md5) by the
    /// HTTP layer; the queue hard-links it into the message without hashing it again, then the
    /// upload copy goes away.
    func uploadAttachment(_ r: WebRequest, _ q: String, _ id: String) -> WebResponse {
        guard MessageID.isValid(id, allowAcked: true) else { return notFound(r, "404 - Message ID not found") }
        guard let file = r.http.files.first(where: { $0.fieldName == "filedata" }), !file.filename.isEmpty else {
            return notFound(r, "404 - no 'filedata' file part")
        }
        let name = file.filename
        let replyText = queues.attachUpload(queue: q, msgID: id, path: file.path, name: name, md5: file.md5)
        let reply = JSONValue.parsed(replyText) ?? .null
        if r.format(default: "html") == "json" { return .json(replyText) }
        if isOK(reply) { return .redirect("/q/\(URLPath.segment(q))/\(id)", flash: Flash(kind: .notice, text: "Attached message successfully")) }
        return .text("Commit \(q)/\(id) got \(RubyInspect.of(reply))")
    }

    func deleteAttachment(_ r: WebRequest, _ q: String, _ id: String, _ name: String) -> WebResponse {
        guard r.field("_method") == "delete" else { return failure(r, 400, "400 - Invalid method param") }
        guard MessageID.isValid(id, allowAcked: true) else { return notFound(r, "404 - Message ID not found") }
        let replyText = callText(q, "delete_attach_message", ["msg_id": .string(id), "attachment_name": .string(name)])
        if r.format(default: "html") == "json" { return .json(replyText) }
        let reply = JSONValue.parsed(replyText) ?? .null
        if isOK(reply) { return .redirect("/q/\(URLPath.segment(q))/\(id)", flash: Flash(kind: .notice, text: "Attachment deleted successfully")) }
        return .text("Delete of attach \(name) on \(q)/\(id) got \(RubyInspect.of(reply))")
    }
}
