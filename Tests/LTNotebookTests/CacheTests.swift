import Foundation
import LTLang
import Testing
@testable import LTNotebook

/// The cache end to end through the runner: cells binding models, datasets, worlds,
/// figures, tables and functions are restored on a rerun and behave as if they had run;
/// damaged entries are misses that re-run and replace themselves, never crashes.
@Suite struct CacheTests {
    /// Every kind of value the cache stores, bound by cached cells and used by later ones.
    static let notebook = """
        ---
        cache: true
        ---
        ```ltnb
        #| label: world
        w = synth(classes: 4, factors: 2, dim: 3, models: 2, pretrain_samples: 120, max: 10, seed: 2)
        ds = w.train
        m = finetune(w.models[0], ds, head: "cosine", epochs: 2, seed: 0)
        print("trained", m.name)
        ```
        ```ltnb
        #| label: fig-acc
        fig = bar(["a", "b"], [0.25, 0.75], title: "accuracy")
        fig
        ```
        ```ltnb
        #| label: tbl-res
        tab = table([{model: m.name, acc: accuracy(predict(m, w.test), w.test.labels)}], digits: 3)
        tab
        ```
        ```ltnb
        #| label: helpers
        fn acc_of(model) => accuracy(predict(model, w.test), w.test.labels)
        fn make_counter() {
          n = 0
          fn() { n += 1; n }
        }
        tick = make_counter()
        tick()
        size = len
        ```
        ```ltnb
        #| label: use
        #| cache: false
        [acc_of(m), tick(), size(ds.classes), to_csv(tab), sample(w, per_class: 1, seed: 9).features.tolist()]
        ```
        """

    func run(_ text: String, _ dir: URL, useCache: Bool = true) throws -> RunResult {
        let nb = try NotebookParser.parse(text, path: "nb.ltnb")
        var options = RunOptions()
        options.cacheDirectory = dir
        options.useCache = useCache
        return try NotebookRunner.run(nb, options: options)
    }

    func tempDir() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ltnb-cache-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func texts(_ r: CellResult) -> [String] {
        r.outputs.map { o -> String in
            switch o {
            case .text(let s), .value(let s): return s
            case .error(let m, _): return "error: \(m)"
            case .figure(let svg): return svg
            case .table(let html, _, _): return html
            }
        }
    }

    @Test func everyKindOfBindingIsRestoredOnARerun() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let uncached = try run(Self.notebook, dir, useCache: false)
        let first = try run(Self.notebook, dir)
        for cell in first.cells.prefix(4) { #expect(cell.cacheNote?.hasSuffix("; stored") == true, "\(cell.cacheNote ?? "")") }
        let second = try run(Self.notebook, dir)
        #expect(second.cells.prefix(4).map(\.status) == [.cached, .cached, .cached, .cached])
        #expect(second.cells[0].cacheNote == "hit: restored 3 binding(s) and 1 output(s)")
        #expect(second.cells[3].cacheNote == "hit: restored 4 binding(s) and 0 output(s)")
        #expect(second.cells[4].status == .ok)
        for i in first.cells.indices {
            #expect(texts(second.cells[i]) == texts(uncached.cells[i]), "cell \(i)")
            #expect(texts(first.cells[i]) == texts(uncached.cells[i]), "cell \(i)")
        }
        #expect(texts(second.cells[4]).first?.contains(", 2, 4, \"model,acc\\n") == true)
    }

    @Test func aClosureChangedByALaterCachedCellIsStoredAgain() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = """
            ```ltnb
            #| cache: true
            fn make_counter() {
              n = 0
              fn() { n += 1; n }
            }
            tick = make_counter()
            ```
            ```ltnb
            #| cache: true
            tick()
            tick()
            ```
            ```ltnb
            tick()
            ```
            """
        let a = try run(text, dir)
        #expect(a.cells[1].cacheNote?.hasSuffix("; stored") == true)
        let b = try run(text, dir)
        #expect(b.cells[1].status == .cached)
        #expect(b.cells[1].cacheNote == "hit: restored 1 binding(s) and 1 output(s)")
        #expect(texts(b.cells[2]) == ["3"])
    }

    @Test func aValueSharedWithAnEarlierCellStaysShared() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = """
            ```ltnb
            #| cache: true
            fn make_counter() {
              n = 0
              fn() { n += 1; n }
            }
            c = make_counter()
            l = [1]
            ```
            ```ltnb
            #| cache: true
            d = c
            m = l
            both = [c, l]
            ```
            ```ltnb
            d()
            push(m, 2)
            [c(), both[0](), l, both[1]]
            ```
            """
        let uncached = try run(text, dir, useCache: false)
        #expect(texts(uncached.cells[2]) == ["[2, 3, [1, 2], [1, 2]]"])
        _ = try run(text, dir)
        let cached = try run(text, dir)
        #expect(cached.cells.prefix(2).map(\.status) == [.cached, .cached])
        #expect(texts(cached.cells[2]) == texts(uncached.cells[2]))
    }

    /// The entry of the first cell of `text`, after one run.
    func storedEntry(_ text: String, _ dir: URL) throws -> (url: URL, bytes: Data) {
        _ = try run(text, dir)
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "entry" }
        let url = try #require(files.first)
        return (url, try Data(contentsOf: url))
    }

    static let small = """
        ```ltnb
        #| cache: true
        fn scale(k) => fn(x) => k * x
        double = scale(2)
        xs = [1, "two", {three: 3.5}]
        print("ran")
        ```
        ```ltnb
        [double(21), xs]
        ```
        """

    @Test func everyTruncationAndFlipOfAnEntryIsAMiss() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (url, bytes) = try storedEntry(Self.small, dir)
        let key = url.deletingPathExtension().lastPathComponent
        let cache = CellCache(directory: dir)
        guard case .hit = cache.lookup(key) else { Issue.record("the stored entry does not hit"); return }
        var damaged: [Data] = (0..<bytes.count).map { bytes.prefix($0) }
        for i in stride(from: 0, to: bytes.count, by: 3) {
            var flipped = bytes
            flipped[i] ^= UInt8(1 << (i % 8))
            damaged.append(flipped)
        }
        for data in damaged {
            try data.write(to: url)
            guard case .miss(let why) = cache.lookup(key) else { Issue.record("a damaged entry hit"); continue }
            #expect(why.hasPrefix("the cache entry is unreadable ("))
        }
        // Through the runner: the cell re-runs, says why, and replaces the entry.
        for data in [bytes.prefix(bytes.count / 2), damaged[bytes.count + 20]] {
            try data.write(to: url)
            let r = try run(Self.small, dir)
            #expect(r.cells[0].status == .ok)
            #expect(r.cells[0].cacheNote?.hasPrefix("miss: the cache entry is unreadable (") == true)
            #expect(r.cells[0].cacheNote?.hasSuffix("; stored") == true)
            #expect(texts(r.cells[1]) == ["[42, [1, \"two\", {three: 3.5}]]"])
            #expect(try run(Self.small, dir).cells[0].status == .cached)
        }
    }

    @Test func bindingsThatDoNotDecodeAreAMissThatReRuns() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (url, bytes) = try storedEntry(Self.small, dir)
        guard case .success(let (entry, bindings)) = CellCache.unpack(bytes) else { Issue.record("cannot unpack"); return }
        // A well-formed entry whose bindings are cut short (as a bug in a codec would leave).
        try CellCache.pack(entry, bindings: bindings.prefix(bindings.count - 1)).write(to: url)
        let r = try run(Self.small, dir)
        #expect(r.cells[0].status == .ok)
        #expect(r.cells[0].cacheNote?.hasPrefix("miss: the stored bindings could not be read back (corrupt cache entry: truncated") == true)
        #expect(texts(r.cells[1]) == ["[42, [1, \"two\", {three: 3.5}]]"])
        #expect(try run(Self.small, dir).cells[0].status == .cached)
    }
}
