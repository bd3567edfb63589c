import Foundation
import Mustache

/// The report's templates: `templates/report.html.mustache`, its partials
/// (`templates/partials/*.mustache`, used as `{{> name}}`) and `templates/report.css`.
///
/// Found at run time, so the report's look changes without rebuilding: `$LTNB_TEMPLATES`
/// if set; else a `templates/` folder beside the executable or in any folder above it
/// (the repository when run from `.build/`, `<prefix>/share/ltnb/templates` when
/// installed); else `./templates`.
public struct ReportTemplates {
    public let directory: URL
    let library: MustacheLibrary
    let css: String

    /// Loads every template synchronously (swift-mustache's directory loader is async).
    public init(directory: URL) throws {
        self.directory = directory
        var library = MustacheLibrary()
        let fm = FileManager.default
        for sub in [directory, directory.appendingPathComponent("partials")] {
            let names = (try? fm.contentsOfDirectory(atPath: sub.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".mustache") {
                let text = try String(contentsOf: sub.appendingPathComponent(name), encoding: .utf8)
                var base = String(name.dropLast(".mustache".count))
                if base.hasSuffix(".html") { base = String(base.dropLast(".html".count)) }
                do { try library.register(text, named: base) } catch {
                    throw TemplateError("cannot parse template '\(sub.appendingPathComponent(name).path)': \(error)")
                }
            }
        }
        guard library.getTemplate(named: "report") != nil else {
            throw TemplateError("no report.html.mustache in '\(directory.path)'")
        }
        self.library = library
        self.css = try String(contentsOf: directory.appendingPathComponent("report.css"), encoding: .utf8)
    }

    /// Finds the templates folder (see the type's documentation).
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ReportTemplates {
        if let dir = environment["LTNB_TEMPLATES"], !dir.isEmpty {
            return try ReportTemplates(directory: URL(fileURLWithPath: dir))
        }
        var candidates: [URL] = []
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var dir = exe.deletingLastPathComponent()
            for _ in 0..<8 {
                candidates.append(dir.appendingPathComponent("templates"))
                candidates.append(dir.appendingPathComponent("share/ltnb/templates"))
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("templates"))
        for c in candidates where FileManager.default.fileExists(atPath: c.appendingPathComponent("report.html.mustache").path) {
            return try ReportTemplates(directory: c)
        }
        throw TemplateError("cannot find templates/report.html.mustache beside the ltnb executable or in the current folder; set LTNB_TEMPLATES to the folder that holds it")
    }

    func render(_ context: [String: Any]) throws -> String {
        try render(context, template: "report")
    }

    /// Renders another page of the same family (e.g. `sweep` for `ltnb sweep`'s summary)
    /// with the same partials and CSS (as `css` in the context), then replaces code points
    /// HTML5 forbids, as the report does.
    public func renderPage(_ context: [String: Any], template: String) throws -> String {
        var context = context
        context["css"] = css
        return HTML.scrub(try render(context, template: template))
    }

    func render(_ context: [String: Any], template: String) throws -> String {
        guard library.getTemplate(named: template) != nil else {
            throw TemplateError("no \(template).html.mustache in '\(directory.path)'")
        }
        guard let html = library.render(context, withTemplate: template) else { throw TemplateError("the \(template) template did not render") }
        return html
    }
}

/// A missing or broken template.
public struct TemplateError: Error, CustomStringConvertible {
    public var description: String
    init(_ message: String) { description = message }
}
