import Testing

@testable import LTLang

/// A script or notebook that is not UTF-8 is refused at its first bad byte, with a caret,
/// instead of running with U+FFFD in its place.
@Suite struct SourceDecodingTests {
    @Test func validTextDecodesUnchanged() throws {
        let text = "s = \"héllo\" # ✓ 𝛑\n"
        let file = try SourceFile.decoding(Array(text.utf8), name: "a.lt")
        #expect(file.text == text && file.bytes == Array(text.utf8))
        #expect(try SourceFile.decoding([], name: "a.lt").text.isEmpty)
    }

    @Test func firstBadByteIsLocated() {
        // Latin-1 é (0xE9) on line 2, after four characters.
        let bytes = Array("x = 1\ny = \"caf".utf8) + [0xE9] + Array("\"\nz = \u{FF}".utf8)
        do {
            _ = try SourceFile.decoding(bytes, name: "a.lt")
            Issue.record("decoded invalid UTF-8")
        } catch {
            #expect(error.kind == .io)
            #expect(DiagnosticRenderer.render(error) == """
                error: 'a.lt' is not UTF-8 text: byte 0xE9 cannot start or continue a character here
                 --> a.lt:2:9
                  |
                2 | y = "caf\u{FFFD}"
                  |         ^

                """)
        }
    }

    @Test func everyKindOfBadSequenceIsFound() {
        let cases: [([UInt8], Int)] = [
            ([0x80], 0),                      // a lone continuation byte
            ([0x61, 0xC3], 1),                // a sequence cut by the end of the file
            ([0xC3, 0x28], 0),                // a lead byte without its continuation
            ([0xC0, 0xAF], 0),                // overlong "/"
            ([0xED, 0xA0, 0x80], 0),          // a UTF-16 surrogate
            ([0x61, 0xF4, 0x90, 0x80, 0x80], 1),  // above U+10FFFF
        ]
        for (bytes, offset) in cases {
            #expect(SourceFile.firstInvalidUTF8Offset(bytes) == offset, "\(bytes)")
        }
        #expect(SourceFile.firstInvalidUTF8Offset(Array("é✓𝛑".utf8)) == nil)
    }
}
