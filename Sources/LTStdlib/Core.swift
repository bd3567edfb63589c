import Foundation
import LTLang

/// Core built-ins: output, conversion, checks, timing and help.
enum Core {
    static let builtins: [Builtin] = [
        Builtin("print", family: "Core", [.variadic("values", "values to write, separated by spaces")],
                summary: "Writes the text of each value, separated by spaces, then a newline.",
                example: "print(\"acc\", 0.5, [1, 2])", result: "acc 0.5 [1, 2]") { args in
            // Concatenated by hand: `joined(separator:)` is generic over the sequence and its
            // first use scanned the binary's conformance table (0.1 ms of every run).
            var line = ""
            for (i, v) in args.rest.enumerated() {
                if i > 0 { line += " " }
                line += v.plainText
            }
            line += "\n"
            try args.interpreter.write(line)
            return .nil
        },
        Builtin("show", family: "Core", [.required("value", "the value to display")],
                summary: "Displays a value mid-cell, as the last expression of a cell would be.",
                example: "show([1, 2]); 3", result: "[1, 2]\n3") { args in
            args.interpreter.sink.emit(.value(args.value("value") ?? .nil))
            return .nil
        },
        Builtin("str", family: "Core", [.required("value", "any value")],
                summary: "The text form of a value; a string is returned as it is.",
                example: "str(0.1 + 0.2)", result: "\"0.30000000000000004\"") { args in
            .string((args.value("value") ?? .nil).plainText)
        },
        Builtin("num", family: "Core", [.required("value", "a number, a string holding one, or a bool")],
                summary: "Converts to a number.",
                errors: ["It is an error if a string does not hold a number."],
                example: "num(\"1e-3\") * 2", result: "0.002") { args in
            let v = try args.required("value")
            switch v {
            case .number: return v
            case .bool(let b): return .number(b ? 1 : 0)
            case .string(let s):
                let t = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
                if let n = Double(t) { return .number(n) }
                if ["inf", "+inf"].contains(t.lowercased()) { return .number(.infinity) }
                if t.lowercased() == "-inf" { return .number(-.infinity) }
                if t.lowercased() == "nan" { return .number(.nan) }
                throw args.error("value", "cannot convert \(quoteString(s)) to a number")
            default:
                throw args.error("value", "cannot convert \(describeForError(v)) to a number", kind: .type)
            }
        },
        Builtin("type", family: "Core", [.required("value", "any value")],
                summary: "The type name: nil, bool, number, string, list, record, function, tensor, dataset, model, figure or table.",
                example: "type([1])", result: "\"list\"") { args in
            .string((args.value("value") ?? .nil).typeName)
        },
        Builtin("fmt", family: "Core", [.required("x", "a number"), .keyword("digits", "decimals to show (default 2)")],
                summary: "Formats a number with a fixed number of decimals.",
                errors: ["It is an error if digits is not a whole number in 0...17."],
                example: "fmt(2 / 3, digits: 3)", result: "\"0.667\"") { args in
            let x = try args.number("x")
            let digits = try args.int("digits", default: 2, in: 0...17)
            return .string(fixed(x, digits))
        },
        Builtin("assert", family: "Core", [.required("condition", "must be true"), .optional("message", "the error text if not")],
                summary: "Raises an error unless the condition holds.",
                example: "assert(1 < 2, \"order\")", result: "") { args in
            let ok = try args.required("condition").isTruthy()
            if !ok {
                let message = try args.string("message", default: "assertion failed")
                throw LTError(message, kind: .user, argument: .position(0))
            }
            return .nil
        },
        Builtin("error", family: "Core", [.required("message", "the error text")],
                summary: "Raises an error with the given message.",
                example: "has({a: 1}, \"a\") or error(\"missing\")", result: "true") { args in
            throw LTError(try args.required("message").plainText, kind: .user)
        },
        Builtin("time", family: "Core", [.required("f", "a function of no arguments")],
                summary: "Calls f() and returns the seconds it took.",
                example: "time(fn() => 1) >= 0", result: "true") { args in
            let f = try args.function("f")
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try args.interpreter.call(f, [])
            return .number(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        },
        Builtin("seed", family: "Core", [.required("n", "a whole number >= 0")],
                summary: "Resets the global random generator that rand, randn, randint and shuffles draw from.",
                errors: ["It is an error if n is not a whole number >= 0."],
                example: "seed(0)", result: "") { args in
            let n = try args.int("n", in: 0...Int.max)
            SessionRandom.of(args.interpreter).reseed(UInt64(n))
            return .nil
        },
        Builtin("help", family: "Core", [.optional("name", "a built-in function or its name")],
                summary: "Prints the documentation of a built-in, or an overview of all of them.",
                example: "help(\"keys\")", result: """
                keys(r)
                  The field names of a record, in order.

                  r  a record

                  example: keys({a: 1, b: 2})
                  gives:   ["a", "b"]
                """) { args in
            guard let v = args.value("name") else {
                try args.interpreter.write(Help.overview(args.interpreter.builtins))
                return .nil
            }
            var name = v.plainText
            if case .function(let f) = v { name = f.name ?? name }
            guard let b = args.interpreter.builtin(named: name) else {
                let guess = nearest(name, in: args.interpreter.builtins.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
                throw args.error("name", "no built-in named '\(name)'\(guess)", kind: .name)
            }
            try args.interpreter.write(Help.text(b) + "\n")
            return .nil
        },
    ]

    /// `x` with exactly `digits` decimals, `-0.00` printed as `0.00`.
    static func fixed(_ x: Double, _ digits: Int) -> String {
        if !x.isFinite { return formatNumber(x) }
        let s = formatFixed(x, digits: digits)
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(s.dropFirst()) }
        return s
    }
}
