import Foundation
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

  @Test func fixedAndScientificMatchFoundationsFormat() {
    // Foundation's String(format:) is the reference the callers used before; a value of
    // 1e300 with 6 decimals is longer than the first buffer.
    let values: [Double] = [0, -0.0, 0.5, 1.5, 2.5, -2.5, 2.345, 0.1 + 0.2, 1e-7, -123456.789, 1e300, -1e300, 43901.687681]
    for x in values {
      for d in [0, 1, 2, 4, 6, 17] {
        #expect(formatFixed(x, digits: d) == String(format: "%.\(d)f", x), "\(x) \(d)")
        #expect(formatScientific(x, digits: d) == String(format: "%.\(d)e", x), "\(x) \(d)")
      }
    }
    #expect(formatFixed(1e300, digits: 2).count == 304)
    #expect(formatFixed(2.5, digits: -3) == "2")
  }
}
