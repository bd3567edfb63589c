import Foundation

/// Nice tick values: steps of 1, 2 or 5 times a power of ten on linear axes, decades on log
/// axes, with labels formatted to the precision the step needs (so 0.25 never shows as
/// 0.2500000001 and a 0.1 step never shows "0.30000000000000004").
enum Ticks {
    /// The nice step closest to `raw`, from 1, 2, 5 x 10^k.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let e = floor(log10(raw))
        let base = pow(10, e)
        let f = raw / base
        let m: Double = f <= 1.5 ? 1 : (f <= 3 ? 2 : (f <= 7 ? 5 : 10))
        return m * base
    }

    /// Linear ticks covering `lo...hi` with about `target` intervals.
    static func linear(_ lo: Double, _ hi: Double, target: Int) -> (step: Double, values: [Double]) {
        // Try the 1-2-5 steps around the naive one and keep the one whose ticks inside the
        // range come closest to `target + 1`: a fixed rounding rule can leave a single tick.
        guard (hi - lo).isFinite, hi > lo else { return (max(abs(hi / 2 - lo / 2), 1e-300), [lo, hi]) }
        let raw = (hi - lo) / Double(max(1, target))
        let e = floor(log10(max(raw, 1e-300)))
        var best = (step: niceStep(raw), score: Int.max)
        for k in [e - 1, e, e + 1] {
            for m in [1.0, 2.0, 5.0] {
                let step = m * pow(10, k)
                let count = values(lo, hi, step: step).count
                let score = abs(count - (target + 1))
                if score < best.score || (score == best.score && step > best.step && count >= 2) {
                    best = (step, score)
                }
            }
        }
        return (best.step, values(lo, hi, step: best.step))
    }

    /// The multiples of `step` inside `lo...hi` (with a little tolerance at both ends).
    static func values(_ lo: Double, _ hi: Double, step: Double) -> [Double] {
        let first = (lo / step - 1e-9).rounded(.up)
        let last = (hi / step + 1e-9).rounded(.down)
        guard last >= first, last - first < 1000 else { return [lo, hi] }
        return stride(from: first, through: last, by: 1).map { k -> Double in
            let v = k * step
            return abs(v) < step * 1e-9 ? 0 : v
        }
    }

    /// Decimals a label needs to show multiples of `step` exactly.
    static func decimals(for step: Double) -> Int {
        max(0, Int(-floor(log10(step) + 1e-9)))
    }

    /// Labels for linear ticks: fixed decimals for ordinary magnitudes, else "2.5e6".
    static func linearLabels(_ values: [Double], step: Double) -> [String] {
        let big = values.map(abs).max() ?? 0
        if big >= 1e6 || step < 1e-4 {
            return values.map { $0 == 0 ? "0" : NumberFormat.scientific($0, 2) }
        }
        let d = decimals(for: step)
        return values.map { NumberFormat.fixed($0, d) }
    }

    /// Log ticks: every decade exponent in `loExp...hiExp`, thinned to about `target`, with
    /// 2 and 5 added inside a single decade so a narrow log axis still has labels.
    static func log(_ loExp: Int, _ hiExp: Int, target: Int) -> [Double] {
        let span = hiExp - loExp
        if span <= 1 {
            let base = pow(10, Double(loExp))
            return [1, 2, 5, 10].map { $0 * base }
        }
        let every = max(1, Int((Double(span) / Double(max(1, target))).rounded(.up)))
        return stride(from: loExp, through: hiExp, by: every).map { pow(10, Double($0)) }
    }

    /// Label for a log tick: plain for 0.001 ... 100000, else "1e6".
    static func logLabel(_ v: Double) -> String {
        let e = log10(v)
        if e >= -3 - 1e-9 && e < 6 { return NumberFormat.trimmed(v, max(0, Int(-floor(e + 1e-9)))) }
        return NumberFormat.scientific(v, 1)
    }
}
