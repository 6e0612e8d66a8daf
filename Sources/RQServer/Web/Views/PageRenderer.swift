import Mustache

/// Renders the Mustache templates compiled into the binary (`Web/Templates`, embedded by
/// SwiftPM). `{{value}}` escapes HTML; the only unescaped slot is the layout's `{{{body}}}`,
/// which holds another template's (escaped) output.
enum PageRenderer {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, bytes) in templateSources {
            do {
                try library.register(String(decoding: bytes, as: UTF8.self), named: name)
            } catch {
                // Templates ship inside the binary and every one is rendered by the unit tests,
                // so this is a build mistake; the page then says so instead of crashing.
                try? library.register("template \(name) does not parse: \(error)", named: name)
            }
        }
        return library
    }()

    private static let templateSources: [(String, [UInt8])] = [
        ("layout", PackageResources.layout_mustache),
        ("home", PackageResources.home_mustache),
        ("queue", PackageResources.queue_mustache),
        ("message", PackageResources.message_mustache),
        ("tail", PackageResources.tail_mustache),
        ("new_queue", PackageResources.new_queue_mustache),
        ("new_message", PackageResources.new_message_mustache),
        ("new_message_result", PackageResources.new_message_result_mustache),
        ("error", PackageResources.error_mustache),
    ]

    static func render(_ template: String, _ model: Any) -> String {
        library.render(model, withTemplate: template) ?? "missing template \(template)"
    }

    /// `template` rendered with `model`, inside the layout.
    static func page(_ template: String, _ model: Any, layout: Layout) -> String {
        var layout = layout
        layout.body = render(template, model)
        return render("layout", layout)
    }
}

/// What every page around its body shows (web-ui.md §8.1).
struct Layout {
    struct Crumb { let label: String; let href: String }
    struct FlashModel { let kind: String; let text: String }

    var title: String
    var root: String
    var env: String
    var flash: FlashModel?
    var crumbs: [Crumb] = []
    var allowNewQueue: Bool
    var serverTime: String
    /// Which page kind main.js refreshes from the JSON twin (home, queue, message), if any.
    var live: String?
    var body = ""
}
