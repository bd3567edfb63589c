import LTBytes

/// The header of LTPlot's figure and table codecs (`Figure+Codec.swift`,
/// `Table+Codec.swift`): "LTPC", a kind byte, the format version. The body uses LTBytes'
/// bounded little-endian primitives, so a truncated or corrupt file is a `PlotError`
/// naming the byte offset, never a trap or a huge allocation.
enum PlotCodec {
    static let magic = "LTPC"

    static func writer(kind: UInt8, version: UInt8) -> ByteWriter {
        ByteWriter(magic: magic, kind: kind, version: version)
    }

    /// A reader past a checked header; `what` ("figure", "table") names it in errors.
    static func reader(_ bytes: [UInt8], what: String, kind: UInt8, version: UInt8) throws -> ByteReader {
        var r = ByteReader(bytes, what: what) { PlotError($0) }
        try r.header(magic: magic, library: "LTPlot", kind: kind, kindName: what, version: version)
        return r
    }
}
