import Foundation
import RQStore

/// Reading rq1 command arguments: never trusting their shape.
enum CommandArgument {
    /// The argument parsed as a JSON object; nil for empty, non-JSON or non-object arguments.
    static func object(_ argument: String) -> JSONObject? {
        guard let value = try? JSONValue.parse(argument) else { return nil }
        return value.objectValue
    }

    /// A bare name argument (manager commands). A JSON string literal is accepted too, since
    /// some clients JSON-encode every argument.
    static func name(_ argument: String) -> String {
        let trimmed = argument.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("\""), case .string(let s)? = try? JSONValue.parse(trimmed) { return s }
        return trimmed
    }

    /// `msg_id` of an object argument as a short id (full ids are accepted); nil when missing
    /// or not a non-empty string.
    static func msgID(_ object: JSONObject?) -> String? {
        guard case .string(let text)? = object?["msg_id"], !text.isEmpty else { return nil }
        return MessageID.shortID(from: text)
    }

    /// A non-negative integer from a number or numeric string.
    static func integer(_ value: JSONValue?) -> Int? {
        switch value {
        case .number(let n)? where n.isFinite && n >= 0 && n < 1e15: return Int(n)
        case .string(let s)?: return Int(s.trimmingCharacters(in: .whitespaces)).flatMap { $0 >= 0 ? $0 : nil }
        default: return nil
        }
    }
}
