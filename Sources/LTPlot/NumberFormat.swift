import Foundation

/// Locale-free, deterministic number formatting shared by every renderer.
///
/// `String(format:)` depends on the C locale and prints "-0.00"; golden files and SVG bytes
/// must not. Everything that turns a number into text goes through here.
enum NumberFormat {
    /// `v` with exactly `decimals` digits after the point; never "-0"; "nan", "inf", "-inf".
    static func fixed(_ v: Double, _ decimals: Int) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        let d = max(0, min(decimals, 12))
        var p: Int64 = 1
        for _ in 0..<d { p *= 10 }
        let scaled = (abs(v) * Double(p)).rounded()
        guard scaled < 9e15 else { return scientific(v, 3) }
        let i = Int64(scaled)
        let sign = (v < 0 && i != 0) ? "-" : ""
        let whole = i / p
        guard d > 0 else { return "\(sign)\(whole)" }
        var frac = String(i % p)
        while frac.count < d { frac = "0" + frac }
        return "\(sign)\(whole).\(frac)"
    }

    /// Up to `decimals` digits after the point with trailing zeros (and a bare point) removed.
    static func trimmed(_ v: Double, _ decimals: Int) -> String {
        var s = fixed(v, decimals)
        guard s.contains("."), v.isFinite else { return s }
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// An SVG coordinate or length: at most two decimals, shortest form, never "-0".
    static func coord(_ v: Double) -> String { trimmed(v.isFinite ? v : 0, 2) }

    /// Mantissa-exponent form such as "2.5e6" or "1e-5", with up to `digits` mantissa decimals.
    static func scientific(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return fixed(v, 0) }
        guard v != 0 else { return "0" }
        var e = Int(floor(log10(abs(v))))
        var m = v / pow(10, Double(e))
        if abs((m * pow(10, Double(digits))).rounded()) >= 10 * pow(10, Double(digits)) {
            e += 1
            m = v / pow(10, Double(e))
        }
        return "\(trimmed(m, digits))e\(e)"
    }

    /// A compact human label: at most `significant` significant digits, switching to
    /// scientific notation for very large or very small magnitudes.
    static func short(_ v: Double, significant: Int = 3) -> String {
        guard v.isFinite else { return fixed(v, 0) }
        let a = abs(v)
        if a == 0 { return "0" }
        if a >= 1e6 || a < 1e-3 { return scientific(v, max(0, significant - 1)) }
        let magnitude = Int(floor(log10(a)))
        let decimals = max(0, significant - 1 - magnitude)
        return trimmed(v, decimals)
    }
}
