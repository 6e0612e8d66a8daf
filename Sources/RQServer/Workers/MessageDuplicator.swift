import RQStore

/// `dup <secs>-<flag>-<dest>` (worker-protocol.md §6.4.1): a copy of a running message,
/// attachments hard-linked, in the target queue (or `relay` for URLs). Goes through the same
/// store operations as the socket commands: create, or prep → attach → commit.
struct MessageDuplicator {
    let registry: QueueRegistry

    /// - Parameters:
    ///   - message: the running message as its run sees it.
    ///   - source: its queue (attachments are read from its `run/` directory).
    func duplicate(_ message: Message, of source: QueueStore, _ request: DupRequest, now: Double) -> DupReply {
        let target = request.targetQueue
        guard QueueName.isValid(target), let store = registry.queue(target) else {
            return .fail(reason: "couldn't connect to queue - \(target)")
        }
        guard store.adminStatus != .down else { return .fail(reason: "dup failed - status: DOWN") }
        let copy = Self.copyInput(of: message, request, now: now)
        let attachments = source.path(of: message.msgID, in: .run).map { source.attachments(inMessageDirectory: $0) } ?? []
        if attachments.isEmpty {
            do { return .ok(fullId: try store.createMessage(copy)) } catch { return .fail(reason: "dup failed - \(error.reason)") }
        }
        let fullID: String
        do { fullID = try store.prepMessage(copy) } catch { return .fail(reason: "dup failed - prep fail \(error.reason)") }
        let newID = String(fullID.split(separator: "/").last ?? "")
        for attachment in attachments {
            // Hard links of the same inode: a digest computed before is reused, not recomputed.
            do { _ = try store.attach(msgID: newID, pathname: attachment.path, name: attachment.name) } catch {
                return .fail(reason: "dup failed - attach fail \(error.reason)")
            }
        }
        do { try store.commit(newID) } catch { return .fail(reason: "dup failed - commit fail \(error.reason)") }
        return .ok(fullId: fullID)
    }

    /// The new message's input: the original's params, source and hooks, a fresh count.
    static func copyInput(of m: Message, _ request: DupRequest, now: Double) -> JSONObject {
        var copy: JSONObject = ["dest": .string(request.destination), "orig_msg_id": .string(m.origMsgID),
                                "count": .int(0), "max_count": .int(m.maxCount)]
        if let src = m.src { copy["src"] = src }
        for n in 1...4 { if let value = m.param(n) { copy["param\(n)"] = value } }
        if let hooks = m.postRunWebhook { copy["post_run_webhook"] = .array(hooks.map(JSONValue.string)) }
        copy["due"] = .int(Int(now) + request.delaySeconds)
        return copy
    }
}
