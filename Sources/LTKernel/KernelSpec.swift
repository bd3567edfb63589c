import Foundation
import LTNotebook

/// `ltnb kernel install` / `uninstall`: the kernelspec folder `kernels/ltnb` (kernel.json
/// and logos) where Jupyter looks for kernels.
public enum KernelSpec {
    /// Where the spec goes, as `jupyter kernelspec install` names the places.
    public enum Location: Equatable, Sendable {
        /// The user's Jupyter data folder ($JUPYTER_DATA_DIR, else ~/.local/share/jupyter).
        case user
        /// DIR/share/jupyter.
        case prefix(String)
        /// The active virtualenv or conda environment.
        case sysPrefix
    }

    public static let name = "ltnb"

    /// The `kernels/ltnb` folder for `location`.
    public static func directory(_ location: Location, environment: [String: String] = ProcessInfo.processInfo.environment) throws(KernelError) -> String {
        let base: String
        switch location {
        case .user:
            if let dir = environment["JUPYTER_DATA_DIR"], !dir.isEmpty { base = dir } else {
                let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
                #if os(macOS)
                base = home + "/Library/Jupyter"
                #else
                base = (environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share") + "/jupyter"
                #endif
            }
        case .prefix(let dir):
            base = dir + "/share/jupyter"
        case .sysPrefix:
            guard let env = environment["VIRTUAL_ENV"] ?? environment["CONDA_PREFIX"], !env.isEmpty else {
                throw KernelError("--sys-prefix needs an active virtualenv or conda environment (VIRTUAL_ENV or CONDA_PREFIX)")
            }
            base = env + "/share/jupyter"
        }
        return base + "/kernels/" + name
    }

    /// kernel.json: how Jupyter starts this kernel.
    public static func kernelJSON(executable: String) -> String {
        let spec: JSONObject = [
            "argv": [executable, "kernel", "--connection-file", "{connection_file}"],
            "display_name": "ltnb", "language": "ltnb", "interrupt_mode": "message",
            "metadata": ["debugger": false] as JSONObject,
        ]
        return IpynbWriter.text(spec)
    }

    /// Writes the spec; returns its folder.
    public static func install(_ location: Location, executable: String) throws(KernelError) -> String {
        let dir = try directory(location)
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try AtomicFile.write(kernelJSON(executable: executable), to: dir + "/kernel.json")
            try AtomicFile.write(Logo.svg, to: dir + "/logo-svg.svg")
            for size in [32, 64] {
                try AtomicFile.write(Data(Logo.png(size: size)), to: URL(fileURLWithPath: dir + "/logo-\(size)x\(size).png"))
            }
        } catch {
            throw KernelError("cannot install the kernelspec in '\(dir)': \(error.localizedDescription)")
        }
        return dir
    }

    /// Removes the spec; returns its folder, or throws when none was installed there.
    public static func uninstall(_ location: Location) throws(KernelError) -> String {
        let dir = try directory(location)
        guard FileManager.default.fileExists(atPath: dir + "/kernel.json") else {
            throw KernelError("no ltnb kernelspec is installed in '\(dir)'")
        }
        do { try FileManager.default.removeItem(atPath: dir) } catch {
            throw KernelError("cannot remove '\(dir)': \(error.localizedDescription)")
        }
        return dir
    }
}

/// The kernel's logo: a long-tailed histogram (bars falling off like class counts),
/// drawn here so the install needs no image files shipped beside the binary.
enum Logo {
    /// Bar heights as fractions of the logo, head to tail.
    static let bars: [Double] = [0.82, 0.52, 0.34, 0.23, 0.16, 0.11]
    static let ink: (UInt8, UInt8, UInt8) = (0x2b, 0x59, 0xc3)

    static var svg: String {
        var rects = ""
        let w = 64.0 / Double(bars.count)
        for (k, h) in bars.enumerated() {
            let height = (h * 56).rounded()
            rects += "<rect x=\"\(Int(Double(k) * w + 1))\" y=\"\(Int(60 - height))\" width=\"\(Int(w - 2))\" height=\"\(Int(height))\"/>"
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\" width=\"64\" height=\"64\"><title>ltnb</title><g fill=\"#2b59c3\">\(rects)</g></svg>\n"
    }

    /// An RGBA PNG of `size` x `size` pixels: transparent, with the bars in `ink`.
    static func png(size: Int) -> [UInt8] {
        var raw: [UInt8] = []
        let barWidth = Double(size) / Double(bars.count)
        for y in 0..<size {
            raw.append(0)  // filter: none
            for x in 0..<size {
                let k = min(Int(Double(x) / barWidth), bars.count - 1)
                let inset = Double(x) - Double(k) * barWidth
                let top = Double(size) * (1 - 4.0 / 64) - bars[k] * Double(size) * (56.0 / 64)
                let filled = inset >= barWidth * 0.03 + 0.5 && inset < barWidth * 0.97 - 0.5 && Double(y) >= top && Double(y) < Double(size) * (60.0 / 64)
                raw += filled ? [ink.0, ink.1, ink.2, 255] : [0, 0, 0, 0]
            }
        }
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header += bigEndian(UInt32(size)) + bigEndian(UInt32(size))
        header += [8, 6, 0, 0, 0]  // 8-bit RGBA, deflate, no filter, no interlace
        out += chunk("IHDR", header)
        out += chunk("IDAT", zlibStored(raw))
        out += chunk("IEND", [])
        return out
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }

    /// A zlib stream of stored (uncompressed) deflate blocks: valid PNG data without a
    /// compressor; a 64 x 64 logo is 16 KiB.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65535, data.count - offset)
            let last: UInt8 = offset + n == data.count ? 1 : 0
            out.append(last)
            out += [UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8((~n >> 8) & 0xff)]
            out += data[offset..<(offset + n)]
            offset += n
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return out + bigEndian(b << 16 | a)
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }
}
