import Foundation
import LTLang

/// Rounding of numbers. abs, sqrt, exp, log, min and max live in the tensor family,
/// which accepts numbers too.
enum MathFamily {
    static let builtins: [Builtin] = [
        unary("floor", "The largest whole number <= x.", "floor(-1.5)", "-2") { $0.rounded(.down) },
        unary("ceil", "The smallest whole number >= x.", "ceil(1.2)", "2") { $0.rounded(.up) },
        Builtin("round", family: "Math", [.required("x", "a number"), .optional("digits", "decimals to keep (default 0)")],
                summary: "Rounds half away from zero, to a number of decimals.",
                example: "round(2.345, 2)", result: "2.35") { args in
            let x = try args.number("x")
            let digits = try args.int("digits", default: 0, in: -15...15)
            let scale = Foundation.pow(10.0, Double(digits))
            let r = (x * scale).rounded(.toNearestOrAwayFromZero) / scale
            // Decimal formatting round-trip avoids 2.3449999 style artefacts.
            return .number(Double(formatFixed(r, digits: max(digits, 0))) ?? r)
        },
    ]

    static func unary(_ name: String, _ summary: String, _ example: String, _ result: String,
                      _ f: NumberShortcut) -> Builtin {
        Builtin(name, family: "Math", [.required("x", "a number")], summary: summary,
                example: example, result: result, onNumber: f) { args in
            .number(f(try args.number("x")))
        }
    }

    /// The best of the variadic values (or of one list), nan if any is nan.
    static func extremumValue(_ args: Arguments, name: String, better: (Double, Double) -> Bool) throws -> Value {
        var values = args.rest
        if values.count == 1, case .list(let l) = values[0] { values = l.items }
        guard !values.isEmpty else { throw LTError("'\(name)' needs at least one value", kind: .value) }
        var best = Double.nan
        for (i, v) in values.enumerated() {
            guard case .number(let n) = v else {
                throw args.restError(args.rest.count == 1 ? 0 : i, "'\(name)' takes numbers, got \(describeForError(v))", kind: .type)
            }
            if n.isNaN { return .number(.nan) }
            if i == 0 || better(n, best) { best = n }
        }
        return .number(best)
    }
}
