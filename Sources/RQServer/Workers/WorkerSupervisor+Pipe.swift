import RQLoop
import RQStore

/// The status pipe (fd 3) and the reply pipe (fd 4) of running scripts.
extension WorkerSupervisor {
    /// Reads at most this much per callback, so a script flooding its pipe cannot starve the
    /// loop; the level-triggered watcher calls again for the rest.
    static let maxBytesPerWakeup = 256 * 1024

    func drain(_ worker: Worker) {
        var budget = Self.maxBytesPerWakeup
        var lastText: String??
        defer { if let text = lastText { record(text, of: worker) } }
        while budget > 0, worker.pipeOpen {
            switch readAvailable(fd: worker.statusFD) {
            case .data(let bytes):
                budget -= bytes.count
                for line in worker.parser.feed(bytes) { lastText = handle(line, of: worker) }
            case .wouldBlock:
                return
            case .eof, .failed:
                if let last = worker.parser.finish() { lastText = handle(last, of: worker) }
                worker.closePipes()
                if let text = lastText { record(text, of: worker) }
                lastText = nil
                finishIfComplete(worker)
            }
        }
    }

    /// Every line's text becomes `job_status` (worker-protocol.md §6.4). Lines that arrive in
    /// one read are recorded once, with the last text: a script flooding progress lines then
    /// costs one status write per read, and what anyone can observe is the same.
    func record(_ text: String?, of worker: Worker) {
        guard let store = registry.queue(worker.queue) else { return }
        do { try store.writeJobStatus(worker.msgID, text ?? "") } catch {
            logger.error("queue \(worker.queue) \(worker.msgID): cannot record status: \(error)")
        }
    }

    /// Acts on one status line; returns its text for the status file.
    @discardableResult
    func handle(_ line: StatusLineParser.Line, of worker: Worker) -> String? {
        if line.droppedByteCount > 0 {
            logger.warning("queue \(worker.queue) \(worker.msgID): status line over \(line.text.utf8.count) bytes truncated")
        }
        let report = StatusReport(parsing: line.text)
        if worker.recorded == nil { worker.recorded = report.command.completion }
        switch report.command {
        case .blank, .run, .done, .err, .relayed:
            break
        case .resend:
            worker.message.count += 1
        case .dup(let request):
            let reply = duplicate(worker, request)
            commit.afterDurable { [worker] durable in
                let line = durable ? reply.line : DupReply.fail(reason: "dup failed - could not sync to disk").line
                guard worker.pipeOpen else { return }
                _ = writeNonBlocking(fd: worker.replyFD, bytes: Array(line.utf8))
            }
        case .unknown(let word):
            logger.info("queue \(worker.queue) \(worker.msgID): unknown status command '\(word)' (text recorded)")
        case .invalid(let command, let reason):
            logger.warning("queue \(worker.queue) \(worker.msgID): invalid '\(command)' line: \(reason)")
            if command == "dup", worker.pipeOpen {
                _ = writeNonBlocking(fd: worker.replyFD, bytes: Array(DupReply.fail(reason: reason).line.utf8))
            }
        }
        return report.text
    }

    /// `dup <secs>-<flag>-<dest>` (worker-protocol.md §6.4.1): a copy of the running message,
    /// attachments hard-linked, in the target queue (or `relay` for URLs).
    private func duplicate(_ worker: Worker, _ request: DupRequest) -> DupReply {
        let target = request.targetQueue
        guard QueueName.isValid(target), let store = registry.queue(target) else {
            return .fail(reason: "couldn't connect to queue - \(target)")
        }
        guard store.adminStatus != .down else { return .fail(reason: "dup failed - status: DOWN") }
        let m = worker.message
        var copy: JSONObject = ["dest": .string(request.destination), "orig_msg_id": .string(m.origMsgID),
                                "count": .int(0), "max_count": .int(m.maxCount)]
        if let src = m.src { copy["src"] = src }
        for n in 1...4 { if let value = m.param(n) { copy["param\(n)"] = value } }
        if let hooks = m.postRunWebhook { copy["post_run_webhook"] = .array(hooks.map(JSONValue.string)) }
        copy["due"] = .int(Int(loop.now) + request.delaySeconds)
        let source = registry.queue(worker.queue)
        let attachments = source.flatMap { $0.path(of: worker.msgID, in: .run) }
            .map { source!.attachments(inMessageDirectory: $0) } ?? []
        defer { kick(queue: target) }
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
}
