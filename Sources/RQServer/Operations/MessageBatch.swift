import RQStore

/// Batch ingest (`POST /q/<name>/messages` with NDJSON, rq1 `create_messages` with a JSON
/// array): one message per line or element, each created as `create_message` would, in order,
/// in one loop turn, so one durable flush (one journal write) covers the whole batch. A line
/// that fails does not stop the others; each gets its own `["ok", id]` / `["fail", reason]`.
public enum MessageBatch {
    /// More would keep the loop from other clients for too long in one turn.
    public static let maxMessages = 10_000

    /// One entry's input: its fields, or why it is not a message.
    public typealias Entry = Result<JSONObject, QueueError>

    /// The lines of an NDJSON body (a final newline ends the last line; `\r\n` is accepted).
    public static func entries(ndjson body: [UInt8]) -> Result<[Entry], QueueError> {
        var lines = body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard !lines.allSatisfy(\.isEmpty) else { return .failure(.refused("empty batch: send one JSON object per line")) }
        guard lines.count <= maxMessages else { return .failure(tooMany(lines.count)) }
        return .success(lines.enumerated().map { number, line in
            let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            guard case .object(let object)? = try? JSONValue.parse(Array(trimmed)) else {
                return .failure(.refused("line \(number + 1) is not a JSON object"))
            }
            return .success(object)
        })
    }

    /// The elements of an rq1 `create_messages` argument.
    public static func entries(jsonArray text: String) -> Result<[Entry], QueueError> {
        guard case .array(let values)? = try? JSONValue.parse(Array(text.utf8)) else {
            return .failure(.refused("create_messages takes a JSON array of message objects"))
        }
        guard !values.isEmpty else { return .failure(.refused("empty batch: send one JSON object per line")) }
        guard values.count <= maxMessages else { return .failure(tooMany(values.count)) }
        return .success(values.enumerated().map { number, value in
            guard case .object(let object) = value else { return .failure(.refused("element \(number + 1) is not a JSON object")) }
            return .success(object)
        })
    }

    static func tooMany(_ count: Int) -> QueueError {
        .refused("too many messages in one batch: \(count), at most \(maxMessages)")
    }

    /// `[["ok", full id] | ["fail", reason], …]` in input order.
    public static func json(_ results: [Result<String, QueueError>]) -> JSONValue {
        .array(results.map { result in
            switch result {
            case .success(let fullID): return ["ok", .string(fullID)]
            case .failure(let error): return ["fail", .string(error.reason)]
            }
        })
    }
}

extension QueueOperations {
    /// Creates every entry's message (`create_message` each) and returns the per-entry
    /// results; fails as a whole only when the queue cannot take messages at all. The queue
    /// is opened (its admin markers read) and its scheduler kicked once per batch, not once
    /// per message.
    public func createBatch(_ queue: String, _ entries: [MessageBatch.Entry]) -> Result<[Result<String, QueueError>], QueueError> {
        open(queue).map { store in
            let results = entries.map { entry in
                entry.flatMap { input in
                    Result { try store.createMessage(input) }.mapError(QueueError.init)
                }
            }
            for case .success in results { metrics?.messageCreated(queue: store.name) }
            workers.kick(queue: store.name)
            return results
        }
    }
}
