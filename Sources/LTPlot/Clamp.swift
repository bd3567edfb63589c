/// Safe conversions from data fractions to grid positions.
///
/// `Int(_: Double)` traps on NaN and infinity, and extreme data (1e308 next to -1e308) can
/// make a scale fraction non-finite. Every renderer converts through here, so bad numbers
/// become a position at the edge of the plot instead of a crash.
enum Clamp {
    /// `t` limited to 0...1; non-finite values become 0.
    static func unit(_ t: Double) -> Double {
        t.isFinite ? Swift.min(1, Swift.max(0, t)) : 0
    }

    /// The cell for fraction `f` on an axis of `n` cells, `round(f * (n - 1))`; fractions
    /// slightly outside 0...1 map just outside the grid (callers clip), non-finite ones to 0.
    static func index(_ f: Double, _ n: Int) -> Int {
        guard f.isFinite else { return 0 }
        let g = Swift.min(2, Swift.max(-1, f))
        return Int((g * Double(Swift.max(0, n - 1))).rounded())
    }
}
