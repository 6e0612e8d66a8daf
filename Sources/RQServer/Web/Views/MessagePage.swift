import RQStore

/// The message page (web-ui.md §8.4, §8.5): fields, state, status, attachments with md5 and
/// size, the buttons the state allows, attach/commit forms on prep, and the live log tail.
struct MessagePage {
    struct Field { let key: String; let value: String }
    struct Attachment { let name: String; let md5: String; let size: String; let href: String; let tailHref: String; let deletable: Bool }

    let id: String
    let queue: String
    let base: String
    let state: String
    let status: String
    let isPrep: Bool
    let canClone: Bool, canRunNow: Bool, canDelete: Bool, canDestroy: Bool
    let fields: [Field]
    let hasAttachments: Bool
    let attachments: [Attachment]

    init(message m: MessageView, root: String) {
        id = m.id
        queue = m.queue
        base = root + "q/" + URLPath.segment(m.queue) + "/" + m.id
        state = m.state
        status = m.status
        let state = MessageState(rawValue: m.state)
        isPrep = state == .prep
        canClone = state != .prep
        canRunNow = state == .que
        canDestroy = state == .run
        canDelete = state != .run
        var fields: [Field] = []
        if case .object(let members) = m.json {
            // Every row in the whitespace form the original's tests match (web-ui.md §8.4).
            for key in members.keys.sorted() where key != "_attachments" {
                var value = members[key]?.stringValue ?? members[key]?.compactString ?? ""
                if key == "due", let due = members[key]?.numberValue { value += " (" + Formatting.serverTime(due) + ")" }
                fields.append(Field(key: key, value: value))
            }
        }
        self.fields = fields
        var attachments: [Attachment] = []
        if case .object(let named)? = m.json["_attachments"] {
            let base = self.base
            for name in named.keys.sorted() {
                let info = named[name]
                let segment = URLPath.segment(name)
                attachments.append(Attachment(name: name, md5: info?["md5"]?.stringValue ?? "",
                                              size: Formatting.size(info?["size"]?.intValue ?? 0),
                                              href: base + "/attach/" + segment, tailHref: base + "/tailview/" + segment,
                                              deletable: state == .prep))
            }
        }
        self.attachments = attachments
        hasAttachments = !attachments.isEmpty
    }
}

/// The standalone tail viewer (web-ui.md §8.9): main.js follows `tailPath` with Range requests
/// until `statePath` says the message left prep/que/run.
struct TailPage {
    let title: String
    let name: String
    let root: String
    let tailPath: String
    let statePath: String
    let state: String
}
