import Foundation

/// Caps what a cell prints in the report (notebook-anchors.md, recommendation 11): when a
/// cell's printed text and value outputs together pass `output-max-lines` or
/// `output-max-bytes`, the report keeps the first half of the budget and the last half
/// (the start of a log and its final numbers), replaces the middle with a note saying how
/// much was cut, and the full text goes to a sidecar file linked from the note. Figures,
/// tables and errors are never cut. Large tensors already print in summary.
enum OutputCap {
    /// One displayed piece of a capped cell.
    enum Shown: Equatable {
        case output(CellOutput)
        /// The middle that was cut: how many lines it ended and how many bytes it held.
        case omitted(lines: Int, bytes: Int)
    }

    /// The capped outputs, and the cell's full text when something was cut.
    static func apply(_ outputs: [CellOutput], limits: OutputLimits) -> (shown: [Shown], full: String?) {
        let unchanged = outputs.map(Shown.output)
        // The text pieces, concatenated into one byte buffer with their bounds.
        var bytes: [UInt8] = []
        var bounds: [Int: Range<Int>] = [:]
        for (k, output) in outputs.enumerated() {
            guard let s = text(of: output) else { continue }
            let start = bytes.count
            bytes += s.utf8
            bounds[k] = start..<bytes.count
        }
        guard !bounds.isEmpty else { return (unchanged, nil) }
        // Exclusive end offsets of every line; a piece ends a line even without "\n".
        var lineEnds: [Int] = []
        let pieceEnds = Set(bounds.values.map(\.upperBound))
        for (pos, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") || (pieceEnds.contains(pos + 1) && byte != UInt8(ascii: "\n")) {
            lineEnds.append(pos + 1)
        }
        let total = bytes.count, lines = lineEnds.count
        guard lines > limits.maxLines || total > limits.maxBytes else { return (unchanged, nil) }

        let headLines = (limits.maxLines + 1) / 2, tailLines = limits.maxLines / 2
        let headBytes = (limits.maxBytes + 1) / 2, tailBytes = limits.maxBytes / 2
        var headEnd = lines > headLines ? lineEnds[headLines - 1] : total
        var byteCut = min(headBytes, total)
        while byteCut > 0, byteCut < total, isContinuation(bytes[byteCut]) { byteCut -= 1 }
        headEnd = min(headEnd, byteCut)
        var tailStart = lines > tailLines ? (tailLines == 0 ? total : lineEnds[lines - tailLines - 1]) : 0
        var tailCut = max(total - tailBytes, 0)
        while tailCut < total, isContinuation(bytes[tailCut]) { tailCut += 1 }
        tailStart = max(tailStart, tailCut)
        guard headEnd < tailStart else { return (unchanged, nil) }

        let omittedLines = lineEnds.filter { $0 > headEnd && $0 <= tailStart }.count
        var shown: [Shown] = []
        var noted = false
        for (k, output) in outputs.enumerated() {
            guard let range = bounds[k] else { shown.append(.output(output)); continue }
            if range.lowerBound < headEnd {
                shown.append(.output(piece(output, bytes[range.lowerBound..<min(range.upperBound, headEnd)])))
            }
            if !noted, range.upperBound > headEnd, range.lowerBound < tailStart {
                shown.append(.omitted(lines: omittedLines, bytes: tailStart - headEnd))
                noted = true
            }
            if range.upperBound > tailStart {
                shown.append(.output(piece(output, bytes[max(range.lowerBound, tailStart)..<range.upperBound])))
            }
        }
        return (shown, fullText(outputs))
    }

    /// The cell's printed text and values as a terminal shows them: prints as written,
    /// each value on its own line.
    static func fullText(_ outputs: [CellOutput]) -> String {
        var out = ""
        for output in outputs {
            switch output {
            case .text(let s): out += s
            case .value(let s):
                if !out.isEmpty, !out.hasSuffix("\n") { out += "\n" }
                out += s + "\n"
            default: break
            }
        }
        return out
    }

    /// An inline value longer than `maxBytes`: its start, cut at a character, and the
    /// number of bytes left out.
    static func inline(_ text: String, maxBytes: Int) -> (String, omitted: Int)? {
        let utf8 = Array(text.utf8)
        guard utf8.count > maxBytes else { return nil }
        var cut = maxBytes
        while cut > 0, isContinuation(utf8[cut]) { cut -= 1 }
        return (String(decoding: utf8[..<cut], as: UTF8.self), utf8.count - cut)
    }

    private static func text(of output: CellOutput) -> String? {
        switch output {
        case .text(let s), .value(let s): return s
        default: return nil
        }
    }

    private static func piece(_ output: CellOutput, _ bytes: ArraySlice<UInt8>) -> CellOutput {
        let s = String(decoding: bytes, as: UTF8.self)
        if case .value = output { return .value(s) }
        return .text(s)
    }

    /// A UTF-8 continuation byte (10xxxxxx): not the start of a character.
    private static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    /// `1234567` → `1,234,567`, the same on every machine (no locale).
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (k, ch) in digits.enumerated() {
            if k > 0, (digits.count - k) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Bytes for people: `512 bytes`, `64.0 KiB`, `1.2 MiB`.
    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) byte\(bytes == 1 ? "" : "s")" }
        let kib = Double(bytes) / 1024
        if kib < 1024 { return String(format: "%.1f KiB", kib) }
        return String(format: "%.1f MiB", kib / 1024)
    }
}
