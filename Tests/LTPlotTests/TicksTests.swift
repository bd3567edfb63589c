import Testing
@testable import LTPlot

/// Nice ticks and locale-free number formatting.
@Suite struct TicksTests {
    @Test func linearTicksUseOneTwoFiveSteps() {
        let s = Scale.make(min: 0.13, max: 0.91, log: false, target: 4)
        #expect(s.labels == ["0.2", "0.4", "0.6", "0.8"] || s.labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let t = Scale.make(min: 0, max: 49, log: false, target: 5)
        #expect(t.labels == ["0", "10", "20", "30", "40", "50"])
        #expect(t.lo == 0 && t.hi == 50)
    }

    @Test func tickLabelsHaveNoFloatNoise() {
        let s = Scale.make(min: 0.1, max: 0.7, log: false, target: 6)
        #expect(s.labels.allSatisfy { $0.count <= 4 }, "\(s.labels)")
        #expect(s.labels.contains("0.3"))
    }

    @Test func logTicksAreDecades() {
        let s = Scale.make(min: 1, max: 1000, log: true, target: 5)
        #expect(s.labels == ["1", "10", "100", "1000"])
        let narrow = Scale.make(min: 2, max: 8, log: true, target: 5)
        #expect(narrow.labels == ["1", "2", "5", "10"])
        let tiny = Scale.make(min: 1e-7, max: 1e-3, log: true, target: 5)
        #expect(tiny.labels == ["1e-7", "1e-6", "1e-5", "1e-4", "0.001"])
    }

    @Test func degenerateRangesStillHaveTicks() {
        #expect(Scale.make(min: 5, max: 5, log: false, target: 4).ticks.count >= 2)
        #expect(Scale.make(min: 0, max: 0, log: false, target: 4).ticks.count >= 2)
        #expect(Scale.make(min: 3, max: 3, log: true, target: 4).ticks.count >= 2)
    }

    @Test func bigNumbersUseExponents() {
        let s = Scale.make(min: 0, max: 3e6, log: false, target: 3)
        #expect(s.labels.contains("1e6") || s.labels.contains("2e6"), "\(s.labels)")
    }

    @Test func fixedFormatting() {
        #expect(NumberFormat.fixed(-0.0001, 2) == "0.00")
        #expect(NumberFormat.fixed(-0.0, 0) == "0")
        #expect(NumberFormat.fixed(0.125, 2) == "0.13")
        #expect(NumberFormat.fixed(-1.5, 0) == "-2")
        #expect(NumberFormat.fixed(1234.5678, 3) == "1234.568")
        #expect(NumberFormat.fixed(.nan, 2) == "nan")
        #expect(NumberFormat.fixed(-.infinity, 2) == "-inf")
        #expect(NumberFormat.coord(-0.001) == "0")
        #expect(NumberFormat.coord(12.5) == "12.5")
        #expect(NumberFormat.coord(3.14159) == "3.14")
        #expect(NumberFormat.short(0.71234) == "0.712")
        #expect(NumberFormat.short(1234567) == "1.23e6")
        #expect(NumberFormat.scientific(9.999, 2) == "1e1")
    }
}
