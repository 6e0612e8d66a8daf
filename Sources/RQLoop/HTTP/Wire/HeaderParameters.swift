/// A header value of the form `token; name=value; name="quoted value"` (Content-Type,
/// Content-Disposition). Hand-written: Foundation has no MIME header parser.
struct HeaderParameters {
    /// The leading token, lowercased (`multipart/form-data`, `form-data`).
    var value: String
    /// Parameters in order; names lowercased, values unquoted.
    var parameters: [(name: String, value: String)]

    func parameter(_ name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    init(_ header: String) {
        let scalars = Array(header.unicodeScalars)
        var index = 0
        value = Self.readUntilSemicolon(scalars, &index).trimmingASCIISpaces().lowercased()
        parameters = []
        while index < scalars.count {
            index += 1  // the ';'
            let name = Self.readName(scalars, &index)
            var parameterValue = ""
            if index < scalars.count, scalars[index] == "=" {
                index += 1
                Self.skipSpaces(scalars, &index)
                if index < scalars.count, scalars[index] == "\"" {
                    parameterValue = Self.readQuoted(scalars, &index)
                    _ = Self.readUntilSemicolon(scalars, &index)
                } else {
                    parameterValue = Self.readUntilSemicolon(scalars, &index).trimmingASCIISpaces()
                }
            } else {
                _ = Self.readUntilSemicolon(scalars, &index)
            }
            if !name.isEmpty { parameters.append((name, parameterValue)) }
        }
    }

    private static func skipSpaces(_ scalars: [Unicode.Scalar], _ index: inout Int) {
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
    }

    private static func readUntilSemicolon(_ scalars: [Unicode.Scalar], _ index: inout Int) -> String {
        var text = String.UnicodeScalarView()
        while index < scalars.count, scalars[index] != ";" {
            text.append(scalars[index])
            index += 1
        }
        return String(text)
    }

    private static func readName(_ scalars: [Unicode.Scalar], _ index: inout Int) -> String {
        var text = String.UnicodeScalarView()
        while index < scalars.count, scalars[index] != "=", scalars[index] != ";" {
            text.append(scalars[index])
            index += 1
        }
        return String(text).trimmingASCIISpaces().lowercased()
    }

    /// Reads `"…"` starting at the opening quote. Backslash escapes are removed unless the text
    /// has a backslash before some other character — then it is a Windows path sent unescaped
    /// (old IE did that) and is kept as is, which is Rack's rule.
    private static func readQuoted(_ scalars: [Unicode.Scalar], _ index: inout Int) -> String {
        index += 1
        var raw: [Unicode.Scalar] = []
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\"" {
                index += 1
                break
            }
            if scalar == "\\", index + 1 < scalars.count {
                raw.append(scalar)
                raw.append(scalars[index + 1])
                index += 2
                continue
            }
            raw.append(scalar)
            index += 1
        }
        var keepsBackslashes = false
        for position in raw.indices where raw[position] == "\\" && position + 1 < raw.count {
            if raw[position + 1] != "\\" && raw[position + 1] != "\"" { keepsBackslashes = true }
        }
        var text = String.UnicodeScalarView()
        var position = 0
        while position < raw.count {
            if !keepsBackslashes, raw[position] == "\\", position + 1 < raw.count {
                text.append(raw[position + 1])
                position += 2
            } else {
                text.append(raw[position])
                position += 1
            }
        }
        return String(text)
    }
}
