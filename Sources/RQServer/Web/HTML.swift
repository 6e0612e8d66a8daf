/// HTML building blocks. Every interpolated value goes through `escape` (spec README §6:
/// the original echoed parameters unescaped).
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// The page layout shared by every HTML page, with the one-shot flash.
    static func page(title: String, env: String, flash: Flash?, body: String) -> String {
        var flashHTML = ""
        if let flash {
            flashHTML = "<div id=\"flash-\(flash.kind.rawValue)\" class=\"flash\">\(escape(flash.text))</div>\n"
        }
        return """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>\(escape(title))</title></head>
        <body class="\(escape(env))">
        <h1><a href="/">RQ</a> :: \(escape(title))</h1>
        \(flashHTML)\(body)
        </body></html>

        """
    }
}
