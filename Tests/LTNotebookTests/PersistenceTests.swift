import Foundation
import LTLang
import LTStdlib
import Testing

/// The cache's value format: scalars, containers with shared identity and cycles,
/// built-ins by name, library objects, and user functions rebuilt from their source.
@Suite struct PersistenceTests {
    /// An object with no stored form, as a library outside LTStdlib might define.
    final class Opaque: LTObject {
        var typeName: String { "opaque" }
        var summary: String { "<opaque>" }
    }

    static let opaque = Builtin("opaque", family: "Test", [], summary: "an unstorable object", example: "", result: "") { _ in
        .object(Opaque())
    }

    func eval(_ interp: Interpreter, _ code: String, name: String = "cell.ltnb", firstLine: Int = 1) throws -> Value? {
        try interp.evaluate(SourceFile(name: name, text: code, firstLine: firstLine))
    }

    func value(_ interp: Interpreter, _ code: String) throws -> Value {
        try #require(try eval(interp, code))
    }

    /// Encodes the globals `names` of `from` and binds them, decoded, in a fresh session.
    func restore(_ names: [String], from: Interpreter, into: Interpreter = Stdlib.makeInterpreter()) throws -> Interpreter {
        let data = try ValueCoder.encode(names.map { from.global($0) ?? .nil })
        for (name, v) in zip(names, try ValueCoder.decode(data, interpreter: into)) { into.define(name, v) }
        return into
    }

    @Test func roundTripsValuesKeepingSharedContainers() throws {
        let interp = Stdlib.makeInterpreter()
        let shared = ListBox([.number(1), .string("a")])
        let record = RecordBox([("xs", .list(shared)), ("ok", .bool(true)), ("none", .nil)])
        shared.items.append(.list(shared))  // a cycle
        let data = try ValueCoder.encode([.list(shared), .record(record), .number(0.1), .function(Function(builtin: interp.builtins[0]))])
        let back = try ValueCoder.decode(data, interpreter: interp)
        guard case .list(let l) = back[0], case .record(let r) = back[1], case .list(let inner)? = r["xs"] else {
            Issue.record("wrong shapes"); return
        }
        #expect(l === inner)
        guard case .list(let cyc) = l.items[2] else { Issue.record("no cycle"); return }
        #expect(cyc === l)
        #expect(back[2].displayText == "0.1")
        #expect(back[3].displayText == Value.function(Function(builtin: interp.builtins[0])).displayText)
    }

    @Test func functionsRoundTripWithDefaultsRecursionAndBuiltins() throws {
        let a = Stdlib.makeInterpreter()
        _ = try eval(a, """
            fn add(x, y = 10) => x + y
            fn fact(k) => if k <= 1 { 1 } else { k * fact(k - 1) }
            twice = fn(f, x) => f(f(x))
            size = len
            """)
        let b = try restore(["add", "fact", "twice", "size"], from: a)
        #expect(try value(b, "[add(1), add(1, 2), fact(5), twice(fn(v) => v * 3, 2), size([1, 2])]").displayText == "[11, 3, 120, 18, 2]")
        #expect(try value(b, "size").displayText == "<fn len(x)>")
        #expect(try value(b, "add").displayText == "<fn add(x, y)>")
    }

    @Test func closuresKeepTheirCapturedStateAndShareFrames() throws {
        let a = Stdlib.makeInterpreter()
        _ = try eval(a, """
            fn make_counter(start) {
              n = start
              {inc: fn() { n += 1; n }, get: fn() => n}
            }
            c = make_counter(5)
            c.inc()
            c.inc()
            fn adder(k) => fn(x) => x + k
            add3 = adder(3)
            fs = []
            for i in range(3) { push(fs, fn(x) => 10 * x + i) }
            fn loop_closures() {
              out = []
              for j in range(3) { let jj = j; push(out, fn() => jj) }
              out
            }
            ls = loop_closures()
            fn rec_local() {
              fn go(k) => if k == 0 { 0 } else { 1 + go(k - 1) }
              go
            }
            go4 = rec_local()
            """)
        let probe = "[c.get(), add3(1), map(fs, fn(f) => f(1)), map(ls, fn(f) => f()), go4(4)]"
        let expected = try value(a, probe).displayText
        // One frame per call, one slot per loop variable: closures made in a loop share it.
        #expect(expected == "[7, 4, [12, 12, 12], [2, 2, 2], 4]")
        let b = try restore(["c", "add3", "fs", "ls", "go4"], from: a)
        #expect(try value(b, probe).displayText == expected)
        // The counter's two closures still share one frame.
        #expect(try value(b, "c.inc(); c.inc(); c.get()").displayText == "9")
        #expect(try value(a, "c.inc(); c.inc(); c.get()").displayText == "9")
    }

    @Test func restoredFunctionsResolveGlobalsAsAnUncachedRunWould() throws {
        let a = Stdlib.makeInterpreter()
        _ = try eval(a, """
            scale = 2
            total = 0
            fn scaled(x) => x * scale
            fn bump() { total = total + 1; total }
            fn scratch() { tmp = 1; tmp }
            fn later() => defined_later + 1
            """)
        let b = Stdlib.makeInterpreter()
        // The restoring session declares `tmp` but not `total`: the rebuilt functions
        // must still bind `total` globally and `tmp` locally, as they were compiled.
        _ = try eval(b, "tmp = 100")
        _ = try restore(["scaled", "bump", "scratch", "later"], from: a, into: b)
        _ = try eval(b, "scale = 3\ntotal = 5")
        #expect(try value(b, "[scaled(2), bump(), total, scratch(), tmp]").displayText == "[6, 6, 6, 1, 100]")
        #expect(throws: Diagnostic.self) { _ = try eval(b, "later()") }
        _ = try eval(b, "defined_later = 41")
        #expect(try value(b, "later()").displayText == "42")
    }

    @Test func restoredFunctionsReportErrorsAtTheSameLocation() throws {
        let code = "x = 1\n\nhelper = [fn(v) =>\n    v + \"s\"]\n"
        let a = Stdlib.makeInterpreter()
        _ = try eval(a, code, name: "nb.ltnb", firstLine: 20)
        let b = try restore(["helper"], from: a)
        func failure(_ i: Interpreter) -> String {
            do { _ = try eval(i, "helper[0](2)", name: "nb.ltnb", firstLine: 40); return "no error" } catch {
                return (error as? Diagnostic).map { DiagnosticRenderer.render($0) } ?? "\(error)"
            }
        }
        #expect(failure(a).contains("nb.ltnb:23:"))
        #expect(failure(b) == failure(a))
    }

    @Test func valuesOfEarlierBindingsAreStoredByName() throws {
        let a = Stdlib.makeInterpreter()
        a.register(Self.opaque)
        _ = try eval(a, "xs = [1, 2]\nh = opaque()\nr = {xs: xs, h: h, n: 3}")
        let earlier = [(name: "xs", value: try value(a, "xs")), (name: "h", value: try value(a, "h"))]
        #expect(ValueCoder.unsupportedReason(try value(a, "r")) == "an opaque object")
        #expect(ValueCoder.unsupportedReason(try value(a, "r"), earlier: earlier) == nil)
        let data = try ValueCoder.encode([try value(a, "r")], earlier: earlier)
        // Restored where the earlier cell's bindings hold their values: one list, one object.
        let back = try #require(try ValueCoder.decode(data, interpreter: a).first)
        guard case .record(let r) = back, case .list(let l)? = r["xs"], case .list(let xs) = try value(a, "xs"),
              case .object(let o)? = r["h"], case .object(let h) = try value(a, "h") else {
            Issue.record("wrong shapes"); return
        }
        #expect(l === xs && o === h)
        #expect(throws: PersistenceError.self) { _ = try ValueCoder.decode(data, interpreter: Stdlib.makeInterpreter()) }
    }

    @Test func closuresOverUnstorableValuesSayWhy() throws {
        let interp = Stdlib.makeInterpreter()
        interp.register(Self.opaque)
        _ = try eval(interp, "fn holder(w) => fn() => w\nh = holder(opaque())\nplain = fn(x) => x")
        let why = try #require(ValueCoder.unsupportedReason(try value(interp, "h")))
        #expect(why == "an opaque object (captured as 'w' by <fn()>)")
        #expect(ValueCoder.unsupportedReason(try value(interp, "plain")) == nil)
        #expect(throws: PersistenceError.self) { try ValueCoder.encode([.list([try value(interp, "opaque()")])]) }
    }

    @Test func libraryObjectsRoundTrip() throws {
        let a = Stdlib.makeInterpreter()
        _ = try eval(a, """
            w = synth(classes: 4, factors: 2, dim: 3, models: 2, pretrain_samples: 100, max: 8, seed: 3)
            ft = finetune(w.models[0], w.train, head: "adapter", epochs: 1, seed: 1)
            s = sample(w, per_class: 2, seed: 4)
            fig = bar(["a", "b"], [1, 2], title: "t")
            tab = table([{m: "x", acc: 0.5}], highlight: "max")
            t = tensor([[1, 2], [3, 4]])
            """)
        let b = try restore(["w", "ft", "s", "fig", "tab", "t"], from: a)
        let probe = """
            [predict(ft, w.test).tolist(), sample(w, per_class: 2, seed: 4).features.tolist(), s.labels.tolist(),
             zero_shot(w.models[1], w.val).tolist(), to_latex(tab), t.tolist(), w.train.size]
            """
        #expect(try value(b, probe).displayText == (try value(a, probe)).displayText)
        for name in ["w", "ft", "s", "fig", "tab", "t"] {
            #expect(try value(b, name).displayText == (try value(a, name)).displayText, "\(name)")
        }
    }

    /// Bytes cut short or flipped are an error or some value, never a crash.
    @Test func truncatedOrFlippedBytesNeverCrash() throws {
        let a = Stdlib.makeInterpreter()
        _ = try eval(a, """
            fn adder(k) => fn(x) => x + k
            v = [adder(2), {r: [1, "two", nil, true]}, tensor([1.5, 2]), bar(["a"], [1]), len]
            push(v, v)
            """)
        let data = try ValueCoder.encode([try value(a, "v")])
        for n in 0..<data.count {
            #expect(throws: PersistenceError.self) { _ = try ValueCoder.decode(data.prefix(n), interpreter: Stdlib.makeInterpreter()) }
        }
        for i in 0..<data.count {
            var flipped = data
            flipped[i] ^= 0x5A
            let b = Stdlib.makeInterpreter()
            guard let back = try? ValueCoder.decode(flipped, interpreter: b) else { continue }
            b.define("v", back.first ?? .nil)
            _ = try? eval(b, "v[0](1)")
            _ = back.first?.displayText
        }
    }

    @Test func fileReadLogHashesContents() throws {
        let interp = Stdlib.makeInterpreter()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ltnb-log-\(getpid()).txt").path
        try Data("abc".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileReadLog.of(interp).record(path: path)
        #expect(FileReadLog.of(interp).entries == [.init(path: path, sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")])
    }
}
