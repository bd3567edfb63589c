import Foundation

/// Colour ramps for heatmaps, as anchor colours interpolated linearly in sRGB.
extension ColorMap {
    /// Viridis at nine evenly spaced stops (matplotlib's values): perceptually uniform,
    /// readable in greyscale and by colour-blind readers.
    static let viridis: [RGB] = [
        RGB(0x440154), RGB(0x472D7B), RGB(0x3B528B), RGB(0x2C728E), RGB(0x21918C),
        RGB(0x28AE80), RGB(0x5EC962), RGB(0xADDC30), RGB(0xFDE725),
    ]

    /// ColorBrewer RdBu (11 classes) reversed, so low is blue, the centre near-white, high red.
    static let redBlue: [RGB] = [
        RGB(0x053061), RGB(0x2166AC), RGB(0x4393C3), RGB(0x92C5DE), RGB(0xD1E5F0), RGB(0xF7F7F7),
        RGB(0xFDDBC7), RGB(0xF4A582), RGB(0xD6604D), RGB(0xB2182B), RGB(0x67001F),
    ]

    /// The colour at `t` in 0...1 (clamped).
    func color(at t: Double) -> RGB {
        let stops = self == .sequential ? ColorMap.viridis : ColorMap.redBlue
        let u = min(1, max(0, t.isFinite ? t : 0)) * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(u))
        return stops[i].mix(stops[i + 1], u - Double(i))
    }
}

extension HeatmapData {
    /// Where `v` falls in the colour range, 0...1.
    func fraction(_ v: Double) -> Double {
        let w = range.upperBound - range.lowerBound
        return w > 0 ? (v - range.lowerBound) / w : 0.5
    }

    /// The annotation text of a value.
    func label(_ v: Double) -> String { v.isNaN ? "" : NumberFormat.fixed(v, digits) }
}
