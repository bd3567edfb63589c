import Foundation
@testable import LTKernel
import Testing

@Suite struct KernelSpecTests {
    @Test func locations() throws {
        #expect(try KernelSpec.directory(.user, environment: ["HOME": "/h"]) == "/h/.local/share/jupyter/kernels/ltnb")
        #expect(try KernelSpec.directory(.user, environment: ["JUPYTER_DATA_DIR": "/d"]) == "/d/kernels/ltnb")
        #expect(try KernelSpec.directory(.prefix("/p"), environment: [:]) == "/p/share/jupyter/kernels/ltnb")
        #expect(try KernelSpec.directory(.sysPrefix, environment: ["VIRTUAL_ENV": "/v"]) == "/v/share/jupyter/kernels/ltnb")
        #expect(throws: KernelError.self) { try KernelSpec.directory(.sysPrefix, environment: [:]) }
    }

    @Test func kernelJSONStartsThisBinary() throws {
        let json = KernelSpec.kernelJSON(executable: "/opt/ltnb/bin/ltnb")
        let spec = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(spec["argv"] as? [String] == ["/opt/ltnb/bin/ltnb", "kernel", "--connection-file", "{connection_file}"])
        #expect(spec["display_name"] as? String == "ltnb")
        #expect(spec["language"] as? String == "ltnb")
        #expect(spec["interrupt_mode"] as? String == "message")
    }

    @Test func installAndUninstall() throws {
        let prefix = NSTemporaryDirectory() + "ltnb-spec-\(UUID().uuidString)"
        let dir = try KernelSpec.install(.prefix(prefix), executable: "/x/ltnb")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files == ["kernel.json", "logo-32x32.png", "logo-64x64.png", "logo-svg.svg"])
        #expect(try KernelSpec.uninstall(.prefix(prefix)) == dir)
        #expect(!FileManager.default.fileExists(atPath: dir))
        #expect(throws: KernelError.self) { try KernelSpec.uninstall(.prefix(prefix)) }
        try? FileManager.default.removeItem(atPath: prefix)
    }

    /// The PNG encoder: signature, chunk CRCs, and a zlib stream whose stored blocks hold
    /// exactly the filtered rows.
    @Test func logoIsAValidPNG() {
        let png = Logo.png(size: 32)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var offset = 8
        var types: [String] = []
        var idat: [UInt8] = []
        while offset + 8 <= png.count {
            let length = png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: png[offset + 4..<offset + 8], as: UTF8.self)
            let body = Array(png[offset + 4..<offset + 8 + length])
            let crc = png[offset + 8 + length..<offset + 12 + length].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            #expect(Logo.crc32(body) == crc, "\(type)")
            if type == "IDAT" { idat = Array(body.dropFirst(4)) }
            types.append(type)
            offset += 12 + length
        }
        #expect(types == ["IHDR", "IDAT", "IEND"])
        #expect(offset == png.count)
        // One stored block: header, LEN/NLEN, then 32 rows of (filter byte + 32 RGBA pixels).
        #expect(idat[0] == 0x78 && idat[2] == 1)
        let len = Int(idat[3]) | Int(idat[4]) << 8
        #expect(len == 32 * (1 + 32 * 4))
        #expect(Logo.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(Logo.svg.hasPrefix("<svg") && Logo.svg.contains("<rect"))
    }
}
