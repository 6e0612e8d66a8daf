import Foundation
import RQStore

/// The new-queue form (web-ui.md §8.7). A refused creation shows it again with the reason and
/// what was typed.
struct NewQueueForm {
    struct Check { let param: Int; let checked: Bool }

    let root: String
    let problem: String?
    let name: String
    let script: String
    let numWorkers: String
    let execPrefix: String
    let coalesce: [Check]
    let blocking: [Check]

    init(root: String, typed: JSONObject = [:], problem: String? = nil) {
        self.root = root
        self.problem = problem
        name = typed["name"]?.stringValue ?? ""
        script = typed["script"]?.stringValue ?? ""
        numWorkers = typed["num_workers"]?.stringValue ?? "1"
        execPrefix = typed["exec_prefix"]?.stringValue ?? "bash -lc "
        func checks(_ key: String) -> [Check] {
            let chosen = Set((typed[key]?.arrayValue ?? []).compactMap(\.stringValue))
            return (1...4).map { Check(param: $0, checked: chosen.contains(String($0))) }
        }
        coalesce = checks("coalesce_params")
        blocking = checks("blocking_params")
    }
}

/// The new-message form (web-ui.md §8.6) with the queue's `form.json` overrides
/// (queue-config.md §2.7): label and help per field, `"default": "hidden"` hides every field
/// that has no entry.
struct NewMessageForm {
    struct Field { let id: String; let name: String; let label: String; let help: String; let hidden: Bool }

    let action: String
    let dest: String
    /// Where to go after posting (the queue page embeds the form); nil shows the result page.
    let back: String?
    let textFields: [Field]
    let statusField: Field
    let webhookField: Field

    enum OverridesError: Error { case badFile }

    init(queue: String, root: String, overrides: JSONObject, back: String? = nil) {
        self.back = back
        action = root + "q/" + URLPath.segment(queue) + "/new_message"
        dest = root + "q/" + queue
        let hideByDefault = overrides["default"]?.stringValue == "hidden"
        func field(_ id: String, name: String, label: String, help: String) -> Field {
            let entry = overrides[id]
            return Field(id: id, name: name, label: entry?["label"]?.stringValue ?? label,
                         help: entry?["help"]?.stringValue ?? help, hidden: hideByDefault && entry == nil)
        }
        textFields = [field("mesg_src", name: "mesg[src]", label: "Source Identifier", help: "")]
            + (1...4).map { field("mesg_param\($0)", name: "mesg[param\($0)]", label: "Param \($0)", help: "optional parameter") }
        statusField = field("mesg_status", name: "mesg[_method]", label: "Status",
                            help: "commit queues the message now; prep keeps it for attachments until a commit; single_que queues it only if no equal message is queued")
        webhookField = field("mesg_post_run_webhook", name: "mesg[post_run_webhook]", label: "post_run_hook",
                             help: "URLs (space separated) called with the message when its run ends")
    }

    /// `queue/<name>/form.json`: none is no overrides; unreadable or not an object is an error.
    static func overrides(queueDirectory: String) throws(OverridesError) -> JSONObject {
        let path = queueDirectory + "/form.json"
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        guard let data = FileManager.default.contents(atPath: path),
              case .object(let object)? = JSONValue.parsed(String(decoding: data, as: UTF8.self)) else { throw .badFile }
        return object
    }
}

/// The answer to an HTML new_message without `back` (web-ui.md §8.8).
struct NewMessageResult {
    let queue: String
    let queueHref: String
    let ok: Bool
    let fullID: String
    let first: String
    let reason: String
}

/// Error pages in the layout: 400, 403, 404, 500, 503 for browsers.
struct ErrorPage {
    let root: String
    let heading: String
    let text: String
}
