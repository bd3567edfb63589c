import Foundation

/// A mapping from a data interval to the unit interval, with its ticks.
///
/// Both renderers build scales through `Scale.make`, so a figure has the same domain and
/// tick values in the terminal and in the SVG; only the `target` tick density differs.
struct Scale: Sendable, Equatable {
    /// Domain in data units (positive on a log scale).
    let lo: Double
    let hi: Double
    let log: Bool
    let ticks: [Double]
    let labels: [String]

    /// Bars on a log axis grow from its bottom, so the bottom must sit below the smallest
    /// bar: the scale starts at or under half the smallest value (a count of 1 stays visible).
    static let logFloor = 0.5

    /// Where `v` falls in the domain: 0 at `lo`, 1 at `hi` (unclamped).
    func fraction(_ v: Double) -> Double {
        if log {
            let a = Foundation.log10(lo), b = Foundation.log10(hi)
            return b > a ? (Foundation.log10(max(v, Double.leastNormalMagnitude)) - a) / (b - a) : 0.5
        }
        // Halves first: hi - lo overflows to infinity for data near ±Double.greatestFiniteMagnitude.
        let span = hi / 2 - lo / 2
        return span > 0 ? (v / 2 - lo / 2) / span : 0.5
    }

    /// Builds a scale over the data range `min...max`.
    ///
    /// - `nice`: widen the domain to the outer ticks (axes then start and end on a label);
    ///   off for histogram edges, which are data.
    /// - `includeZero`: bars grow from zero, so their value axis must contain it.
    /// - `slack`: how much longer than the data range a nice domain may be; value axes
    ///   accept more, since a labelled top and bottom help reading values.
    static func make(
        min dataMin: Double, max dataMax: Double, log: Bool, target: Int,
        nice: Bool = true, includeZero: Bool = false, slack: Double = 1.2
    ) -> Scale {
        var lo = dataMin, hi = dataMax
        if includeZero && !log { lo = Swift.min(lo, 0); hi = Swift.max(hi, 0) }
        if log {
            lo = Swift.max(lo, 1e-300)
            hi = Swift.max(hi, lo)
            if hi <= lo { lo /= 10; hi *= 10 }
            let loExp = Int(Foundation.log10(lo).rounded(.down))
            let hiExp = Swift.max(Int(Foundation.log10(hi).rounded(.up)), loExp + 1)
            let dataSpan = Swift.max(Foundation.log10(hi) - Foundation.log10(lo), 1e-9)
            if nice && (Double(hiExp - loExp) <= slack * dataSpan || hiExp - loExp <= 2) {
                lo = pow(10, Double(loExp))
                hi = pow(10, Double(hiExp))
            }
            let ticks = Ticks.log(loExp, hiExp, target: target)
                .filter { $0 >= lo * (1 - 1e-9) && $0 <= hi * (1 + 1e-9) }
            return Scale(lo: lo, hi: hi, log: true, ticks: ticks, labels: ticks.map(Ticks.logLabel))
        }
        if hi <= lo {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let (step, initial) = Ticks.linear(lo, hi, target: target)
        var ticks = initial
        if nice {
            // Start and end on a tick, unless that would waste more than `slack` allows.
            let niceLo = (lo / step + 1e-9).rounded(.down) * step
            let niceHi = (hi / step - 1e-9).rounded(.up) * step
            if niceHi - niceLo <= slack * (hi - lo) || (includeZero && (niceLo == 0 || niceHi == 0)) {
                lo = Swift.min(lo, niceLo)
                hi = Swift.max(hi, niceHi)
                ticks = Ticks.values(lo, hi, step: step)
            }
        }
        return Scale(lo: lo, hi: hi, log: false, ticks: ticks, labels: Ticks.linearLabels(ticks, step: step))
    }
}

extension Figure {
    /// The x and y data extents of line and scatter marks.
    static func extent(_ series: [Series]) -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        let pts = series.flatMap { $0.points }
        let xs = pts.map(\.x), ys = pts.map(\.y)
        return ((xs.min() ?? 0)...(xs.max() ?? 1), (ys.min() ?? 0)...(ys.max() ?? 1))
    }
}
