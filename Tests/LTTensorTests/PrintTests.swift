import Testing

@testable import LTTensor

/// Golden tests of the printed form (docs/tensors.md, "Printing").
@Suite struct PrintTests {
  @Test func wholeNumbersPrintWithoutAPoint() throws {
    #expect(try Tensor([1, 2, 3, 4], shape: [2, 2]).description == """
      tensor([[1, 2],
              [3, 4]], shape: (2, 2), dtype: float32)
      """)
  }

  @Test func fixedPointSharesDecimalsAndAligns() throws {
    #expect(try Tensor([1.5, -2, 3, 4.25], shape: [2, 2]).description == """
      tensor([[ 1.50, -2.00],
              [ 3.00,  4.25]], shape: (2, 2), dtype: float32)
      """)
    #expect(Tensor(scalar: 3.5).description == "tensor(3.5, shape: (), dtype: float32)")
    #expect(try Tensor([.nan, .infinity, 1.5], shape: [3], dtype: .float64).description
      == "tensor([nan, inf, 1.5], shape: (3,), dtype: float64)")
  }

  @Test func tinyOrHugeValuesUseScientific() throws {
    #expect(try Tensor([0.1, 0.25, 1e-5], shape: [3]).description
      == "tensor([1.0000e-01, 2.5000e-01, 1.0000e-05], shape: (3,), dtype: float32)")
  }

  @Test func threeDimensionsSeparateBlocksWithABlankLine() throws {
    #expect(try Tensor.arange(12).reshape([2, 2, 3]).description == """
      tensor([[[ 0,  1,  2],
               [ 3,  4,  5]],

              [[ 6,  7,  8],
               [ 9, 10, 11]]], shape: (2, 2, 3), dtype: float32)
      """)
  }

  @Test func largeTensorsAreSummarised() throws {
    #expect(try Tensor.arange(2000).reshape([40, 50]).description == """
      tensor([[   0,    1,    2,  ...,   47,   48,   49],
              [  50,   51,   52,  ...,   97,   98,   99],
              [ 100,  101,  102,  ...,  147,  148,  149],
              ...,
              [1850, 1851, 1852,  ..., 1897, 1898, 1899],
              [1900, 1901, 1902,  ..., 1947, 1948, 1949],
              [1950, 1951, 1952,  ..., 1997, 1998, 1999]], shape: (40, 50), dtype: float32)
      """)
  }

  @Test func longRowsWrapAt75Columns() throws {
    let s = try Tensor.arange(30).astype(.int32).description
    #expect(s == """
      tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16,
              17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29], shape: (30,), dtype: int32)
      """)
  }

  @Test func boolsAndEmptyTensors() throws {
    #expect(try Tensor(bools: [true, false], shape: [2]).description == "tensor([ true, false], shape: (2,), dtype: bool)")
    #expect(try Tensor.zeros([0, 3]).description == "tensor([], shape: (0, 3), dtype: float32)")
  }

  @Test func viewsPrintTheirOwnElements() throws {
    let t = try Tensor.arange(6).reshape([2, 3])
    #expect(t.T.description == """
      tensor([[0, 3],
              [1, 4],
              [2, 5]], shape: (3, 2), dtype: float32)
      """)
    #expect(try t[.all, .slice(nil, nil, -2)].description == """
      tensor([[2, 0],
              [5, 3]], shape: (2, 2), dtype: float32)
      """)
  }
}
