import Foundation
import LTNotebook
@testable import LTKernel
import Testing

@Suite struct IpynbTests {
    let source = """
    ---
    title: T
    ---

    # Heading

    Some prose.

    ```{ltnb}
    #| label: fig-a
    #| echo: false
    #| error: true
    x = 1
    ```

    ~~~ltnb
    y = "```"
    ~~~

    """

    func document(_ text: String) throws -> JSONObject {
        IpynbWriter.document(try NotebookParser.parse(text, path: "t.ltnb"), version: "9.9")
    }

    @Test func layoutFollowsQuarto() throws {
        let doc = try document(source)
        let cells = try #require(doc["cells"] as? [JSONObject])
        #expect(cells.map { $0.string("cell_type") } == ["raw", "markdown", "code", "code"])
        #expect((cells[0]["source"] as? [String])?.first == "---\n")
        #expect(cells[1]["source"] as? [String] == ["# Heading\n", "\n", "Some prose."])
        let code = cells[2]
        #expect(code["source"] as? [String] == ["#| label: fig-a\n", "#| echo: false\n", "#| error: true\n", "x = 1"])
        #expect(code.string("id") == "fig-a")
        let meta = try #require(code.object("metadata"))
        #expect(meta.object("ltnb")?.object("options")?.bool("echo") == false)
        #expect(meta.object("ltnb")?.string("fence") == "```{ltnb}")
        #expect(meta.object("jupyter")?.bool("source_hidden") == true)
        #expect(meta["tags"] as? [String] == ["fig-a", "raises-exception"])
        #expect(doc.object("metadata")?.object("kernelspec")?.string("name") == "ltnb")
        #expect(doc.object("metadata")?.object("language_info")?.string("file_extension") == ".lt")
    }

    @Test func roundTripsByteForByte() throws {
        let text = IpynbWriter.text(try document(source))
        let back = try IpynbReader.ltnb(from: Data(text.utf8), path: "t.ipynb")
        #expect(back == source)
        // And the writer is deterministic.
        #expect(IpynbWriter.text(try document(back)) == text)
    }

    @Test func blankLinesBetweenBlocksRoundTrip() throws {
        for text in ["---\nparams:\n  n: 2\n---\n```ltnb\nn\n```\n",
                     "# A\n\n\n\n```ltnb\n1\n```\nB\n\n",
                     "```ltnb\n1\n```\n```ltnb\n2\n```",
                     "\n\nprose first\n"] {
            let ipynb = IpynbWriter.text(try document(text))
            #expect(try IpynbReader.ltnb(from: Data(ipynb.utf8), path: "t.ipynb") == text)
        }
    }

    @Test func metadataOptionsFillInMissingLines() throws {
        let ipynb = """
        {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
          {"cell_type": "code", "source": ["#| label: a\\n", "1"], "metadata": {"ltnb": {"options": {"label": "b", "cache": true, "caption": "A: b"}}}, "outputs": []}
        ]}
        """
        let text = try IpynbReader.ltnb(from: Data(ipynb.utf8), path: "x.ipynb")
        #expect(text == "```ltnb\n#| label: a\n#| cache: true\n#| caption: \"A: b\"\n1\n```\n")
        #expect(throws: Never.self) { try NotebookParser.parse(text, path: "x.ltnb") }
    }

    @Test func aFenceInsideCodeGetsALongerFence() throws {
        let ipynb = #"{"nbformat": 4, "cells": [{"cell_type": "code", "source": "s = 1\n```\n", "metadata": {}}]}"#
        let text = try IpynbReader.ltnb(from: Data(ipynb.utf8), path: "x.ipynb")
        #expect(text == "````ltnb\ns = 1\n```\n````\n")
    }

    @Test func badInputsAreErrorsThatNameTheCell() {
        let cases: [(String, String)] = [
            ("", "not valid JSON"),
            ("[]", "top level is not a JSON object"),
            (#"{"cells": []}"#, "no 'nbformat'"),
            (#"{"nbformat": 3}"#, "nbformat 3 is not supported"),
            (#"{"nbformat": 4, "cells": {}}"#, "'cells' is missing or not a list"),
            (#"{"nbformat": 4, "cells": [1]}"#, "cell 1 is not a JSON object"),
            (#"{"nbformat": 4, "cells": [{"source": ""}]}"#, "cell 1 has no 'cell_type'"),
            (#"{"nbformat": 4, "cells": [{"cell_type": "markdown", "source": ""}, {"cell_type": "code", "source": [1]}]}"#, "cell 2: 'source'"),
            (#"{"nbformat": 4, "cells": [{"cell_type": "x", "source": ""}]}"#, "unknown cell_type 'x'"),
            (#"{"nbformat": true, "cells": []}"#, "no 'nbformat'"),
        ]
        for (json, message) in cases {
            do {
                _ = try IpynbReader.ltnb(from: Data(json.utf8), path: "bad.ipynb")
                Issue.record("accepted \(json)")
            } catch {
                #expect(error.description.contains(message), "\(error.description)")
                #expect(error.description.contains("bad.ipynb"))
            }
        }
    }

    @Test func outputsOfARunBecomeNbformatOutputs() {
        let outs = IpynbWriter.outputs([.text("hi\n"), .figure(svg: "<svg/>"), .value("3")], count: 4)
        #expect(outs.map { $0.string("output_type") } == ["stream", "display_data", "execute_result"])
        #expect(outs[2].int("execution_count") == 4)
        let err = IpynbWriter.outputs([.error(message: "boom", rendered: "error: boom\n  --> a:1:1\n")], count: 1)
        #expect(err[0]["traceback"] as? [String] == ["error: boom", "  --> a:1:1"])
    }

    @Test func sourceLinesFollowNbformat() {
        #expect(IpynbWriter.sourceLines("") == [])
        #expect(IpynbWriter.sourceLines("a") == ["a"])
        #expect(IpynbWriter.sourceLines("a\nb\n") == ["a\n", "b\n"])
        #expect(IpynbWriter.sourceLines("a\n\nb") == ["a\n", "\n", "b"])
    }
}
