import Foundation
import LTTensor

/// Small valid files of every format the readers take, made here so that no binary seed
/// is committed: `ltnb-fuzz-files --write-seeds DIR` writes them (each with its selector
/// byte in front) and scripts/fuzz.sh adds the NumPy-made test fixtures.
extension FileFuzzHarness {
    /// Writes the seeds into `dir`; returns how many.
    public static func writeSeeds(to dir: String) throws -> Int {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var n = 0
        for (name, reader, csvOption, bytes) in try seeds() {
            let data = Data([selector(reader, csvOption: csvOption)]) + bytes
            try data.write(to: URL(fileURLWithPath: "\(dir)/seed-\(name)"))
            n += 1
        }
        return n
    }

    /// (name, reader, CSV option, file bytes) for every seed.
    static func seeds() throws -> [(String, Reader, Int, Data)] {
        var out: [(String, Reader, Int, Data)] = []
        // .npy as np.save writes it, for each dtype the writer has.
        let x = try Tensor([1.5, -2, 0, 3.25, 1e-3, -7], shape: [2, 3])
        for dt in DType.allCases {
            let t = try x.astype(dt)
            out.append(("npy-\(dt)", .npy, 0, try t.npyData()))
            out.append(("mmap-\(dt)", .npyMmap, 0, try t.npyData()))
        }
        out.append(("npy-0d", .npy, 0, try Tensor(scalar: 4).npyData()))
        out.append(("npy-empty", .npy, 0, try Tensor.zeros([0, 3]).npyData()))
        // The layouts only NumPy writes: narrow and wide types, big-endian, Fortran
        // order, format version 2.0.
        out.append(("npy-f2", .npy, 0, npy("<f2", shape: [3], payload: [0x00, 0x3C, 0x00, 0xC0, 0x00, 0x7C])))
        out.append(("npy-be-f4", .npy, 0, npy(">f4", shape: [2], payload: [0x3F, 0x80, 0, 0, 0x40, 0, 0, 0])))
        out.append(("npy-be-i2", .npy, 0, npy(">i2", shape: [2], payload: [0xFF, 0xFE, 0x00, 0x07])))
        out.append(("npy-i8", .npy, 0, npy("<i8", shape: [2], payload: [5, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])))
        out.append(("npy-u1", .npy, 0, npy("|u1", shape: [2, 2], payload: [0, 1, 254, 255])))
        out.append(("npy-i1", .npy, 0, npy("|i1", shape: [3], payload: [0x80, 0, 0x7F])))
        out.append(("npy-u2", .npy, 0, npy("<u2", shape: [1], payload: [0xFF, 0xFF])))
        out.append(("npy-fortran", .npy, 0, npy("<f4", fortran: true, shape: [2, 2], payload: floatBytes([1, 2, 3, 4]))))
        out.append(("mmap-fortran", .npyMmap, 0, npy("<f4", fortran: true, shape: [2, 2], payload: floatBytes([1, 2, 3, 4]))))
        out.append(("npy-v2", .npy, 0, npy("<f4", shape: [2], payload: floatBytes([1, 2]), version: 2)))
        // .npz, stored and deflated (the writer's two modes).
        let pair = NamedTensors([("x", x), ("y", try Tensor(int32s: [0, 1, 2], shape: [3]))])
        for compressed in [false, true] {
            let path = "\(scratchDirectory)/seed.npz"
            try Tensor.saveNPZ(pair, to: path, compressed: compressed)
            out.append((compressed ? "npz-deflated" : "npz-stored", .npz, 0, try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        // safetensors with every dtype the reader takes.
        out.append(("safetensors", .safetensors, 0, safetensors([
            ("f16", "F16", [2], [0x00, 0x3C, 0x00, 0x40]),
            ("f32", "F32", [2], floatBytes([1, -1])),
            ("f64", "F64", [1], withUnsafeBytes(of: (2.5).bitPattern.littleEndian) { Array($0) }),
            ("i32", "I32", [1], [7, 0, 0, 0]),
            ("i64", "I64", [1], [9, 0, 0, 0, 0, 0, 0, 0]),
            ("mask", "BOOL", [2], [1, 0]),
        ])))
        // CSV with each option set: header only; label last; no header, label first;
        // label by name with chosen columns. Quotes, missing values, CRLF.
        out.append(("csv-plain", .csv, 0, Data("a,b\n1,2\n3,\n".utf8)))
        out.append(("csv-label", .csv, 1, Data("a,\"b,c\",label\n1,NA,cat\r\n2.5,\"3\",dog\n".utf8)))
        out.append(("csv-noheader", .csv, 2, Data("0,1.5,2\n1,nan,\"4\"\"\"\n".utf8)))
        out.append(("csv-columns", .csv, 3, Data("\u{FEFF}a,b,c,label\n1,2,3,0\n4,5,6,1\n".utf8)))
        return out
    }

    /// A version 1.0 (or 2.0) .npy file with a header NumPy would write.
    static func npy(_ descr: String, fortran: Bool = false, shape: [Int], payload: [UInt8], version: UInt8 = 1) -> Data {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(dims), }"
        let prefix = version == 1 ? 10 : 12
        dict += String(repeating: " ", count: (64 - (prefix + dict.utf8.count + 1) % 64) % 64) + "\n"
        let n = dict.utf8.count
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0, UInt8(n & 0xFF), UInt8(n >> 8)]
        if version != 1 { bytes += [0, 0] }
        return Data(bytes + Array(dict.utf8) + payload)
    }

    /// A safetensors file of (name, dtype, shape, data) entries, data in order.
    static func safetensors(_ entries: [(String, String, [Int], [UInt8])]) -> Data {
        var parts: [String] = []
        var data: [UInt8] = []
        for (name, dtype, shape, bytes) in entries {
            let dims = shape.map(String.init).joined(separator: ",")
            parts.append("\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":[\(dims)],\"data_offsets\":[\(data.count),\(data.count + bytes.count)]}")
            data += bytes
        }
        let header = Array(("{\"__metadata__\":{\"format\":\"pt\"}," + parts.joined(separator: ",") + "}").utf8)
        let length = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) }
        return Data(length + header + data)
    }

    static func floatBytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
    }
}
