import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses SVG with Foundation's XMLParser; every SVG the tests render goes through here.
enum XML {
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var error: String?
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append(name)
        }
        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            error = "\(parseError) at line \(parser.lineNumber)"
        }
    }

    /// The element names in document order, or nil with an error if the text is not
    /// well-formed XML.
    static func parse(_ text: String) -> (elements: [String], error: String?) {
        let parser = XMLParser(data: Data(text.utf8))
        let collector = Collector()
        parser.delegate = collector
        let ok = parser.parse()
        return (collector.elements, ok ? nil : (collector.error ?? "parse failed"))
    }
}
