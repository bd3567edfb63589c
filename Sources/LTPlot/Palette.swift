import Foundation

/// An sRGB colour.
struct RGB: Sendable, Equatable {
    let r: Double, g: Double, b: Double

    init(_ hex: UInt32) {
        r = Double((hex >> 16) & 0xFF) / 255
        g = Double((hex >> 8) & 0xFF) / 255
        b = Double(hex & 0xFF) / 255
    }

    init(r: Double, g: Double, b: Double) { self.r = r; self.g = g; self.b = b }

    /// "#rrggbb", lower case, for SVG.
    var hex: String {
        func h(_ v: Double) -> String {
            let n = Int((min(1, max(0, v)) * 255).rounded())
            let s = String(n, radix: 16)
            return n < 16 ? "0" + s : s
        }
        return "#" + h(r) + h(g) + h(b)
    }

    /// WCAG relative luminance; decides black or white annotation text on a heatmap cell.
    var luminance: Double {
        func lin(_ c: Double) -> Double { c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    /// Whether black text on this colour has more contrast than white (WCAG ratio; the
    /// crossover is at luminance ~0.18, not 0.5, because the scale is not linear).
    var prefersDarkText: Bool { (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) }

    /// The nearest xterm-256 colour index (6x6x6 cube or grey ramp), for ANSI output that
    /// works in terminals without true colour.
    var ansi256: Int {
        let levels: [Double] = [0, 95, 135, 175, 215, 255].map { $0 / 255 }
        func nearest(_ v: Double) -> Int {
            levels.indices.min { abs(levels[$0] - v) < abs(levels[$1] - v) } ?? 0
        }
        let (ri, gi, bi) = (nearest(r), nearest(g), nearest(b))
        let cube = RGB(r: levels[ri], g: levels[gi], b: levels[bi])
        let grey = (r + g + b) / 3
        let gIndex = max(0, min(23, Int(((grey * 255 - 8) / 10).rounded())))
        let gv = (8 + Double(gIndex) * 10) / 255
        let greyColour = RGB(r: gv, g: gv, b: gv)
        return distance(greyColour) < distance(cube) ? 232 + gIndex : 16 + 36 * ri + 6 * gi + bi
    }

    func distance(_ o: RGB) -> Double {
        (r - o.r) * (r - o.r) + (g - o.g) * (g - o.g) + (b - o.b) * (b - o.b)
    }

    /// Linear blend from `self` (t = 0) to `o` (t = 1).
    func mix(_ o: RGB, _ t: Double) -> RGB {
        RGB(r: r + (o.r - r) * t, g: g + (o.g - g) * t, b: b + (o.b - b) * t)
    }
}

/// The series palette: Okabe & Ito's colour-blind-safe set, without black (invisible on
/// dark pages) and with yellow last (faint on white). Every colour keeps at least about 3:1
/// contrast against both white and near-black backgrounds, so one SVG serves light and dark
/// reports. Series beyond eight reuse colours but keep distinct markers and dashes.
enum Palette {
    static let colors: [RGB] = [
        RGB(0x0072B2),  // blue
        RGB(0xD55E00),  // vermillion
        RGB(0x009E73),  // bluish green
        RGB(0xE69F00),  // orange
        RGB(0xCC79A7),  // reddish purple
        RGB(0x56B4E9),  // sky blue
        RGB(0xF0E442),  // yellow
        RGB(0x999999),  // grey
    ]

    static func color(_ i: Int) -> RGB { colors[i % colors.count] }

    /// Unicode marker glyphs that tell series apart without colour.
    static let unicodeMarkers: [Character] = ["●", "■", "▲", "◆", "✚", "○", "□", "△"]
    /// ASCII marker characters, one per series.
    static let asciiMarkers: [Character] = ["*", "o", "+", "x", "#", "@", "%", "&"]
    /// SVG stroke dash patterns per series, so lines differ in greyscale print too.
    static let dashes: [String?] = [nil, "7 3", "2 2", "7 3 2 3", "12 4", "4 4"]
}
