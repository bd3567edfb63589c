import Testing

@testable import LTNumberText

@Suite struct NumberTextTests {
  @Test func nanPrintsAsNanWhateverItsSignBit() {
    let negative = -Double.nan
    #expect(negative.sign == .minus)
    #expect("\(negative)" == "-nan")   // Swift's own form, which diagnostics used to show
    #expect(formatNumber(negative) == "nan")
    #expect(formatNumber(Double.nan) == "nan")
    #expect(formatNumber(-Float.nan) == "nan")
    #expect(formatNumber(Float(bitPattern: 0xFFC0_0001)) == "nan")
  }

  @Test func numbersReadBackExactly() {
    #expect(formatNumber(3.0) == "3")
    #expect(formatNumber(-12.0) == "-12")
    #expect(formatNumber(-0.0) == "0")
    #expect(formatNumber(0.1) == "0.1")
    #expect(formatNumber(0.1 + 0.2) == "0.30000000000000004")
    #expect(formatNumber(1e-7) == "1e-07")
    #expect(formatNumber(1e300) == "1e+300")
    #expect(formatNumber(-Double.infinity) == "-inf")
    #expect(formatNumber(Double.infinity) == "inf")
    // float32 values in float32's shortest form, not widened to double digits
    #expect(formatNumber(Float(0.1)) == "0.1")
    #expect(formatNumber(Float(2.5)) == "2.5")
    #expect(formatNumber(Float(7)) == "7")
    #expect(formatNumber(-Float.infinity) == "-inf")
  }
}
