// The trainable building blocks: a linear layer and a ReLU encoder.

/// A fully connected layer `y = x W + b`, with `W` stored `in x out`.
public struct Linear: Sendable, Equatable {
  public var weight: Matrix
  public var bias: [Float]

  public var inputDim: Int { weight.rows }
  public var outputDim: Int { weight.cols }

  /// PyTorch's default initialisation for `nn.Linear`: weight and bias uniform in
  /// `[-1/sqrt(in), 1/sqrt(in)]`.
  init(inputs: Int, outputs: Int, rng: inout SeededRandom) {
    let bound = 1 / Double(max(inputs, 1)).squareRoot()
    weight = Matrix(rows: inputs, cols: outputs)
    for i in 0..<weight.data.count { weight.data[i] = Float((rng.uniform() * 2 - 1) * bound) }
    bias = (0..<outputs).map { _ in Float((rng.uniform() * 2 - 1) * bound) }
  }

  init(weight: Matrix, bias: [Float]) {
    self.weight = weight
    self.bias = bias
  }

  func forward(_ x: Matrix) -> Matrix {
    var y = Matrix.product(x, weight)
    y.addRowVector(bias)
    return y
  }

  /// Gradients of `W` and `b` for upstream gradient `dy`, and of the input if asked.
  func backward(input x: Matrix, dy: Matrix, needInput: Bool) -> (
    dW: Matrix, db: [Float], dx: Matrix?
  ) {
    let dW = Matrix.productTN(x, dy)
    let db = dy.columnSums()
    let dx = needInput ? Matrix.productNT(dy, weight) : nil
    return (dW, db, dx)
  }

  /// Multiply-adds per sample.
  var macs: Int { inputDim * outputDim }
}

/// A frozen-able feature extractor: `relu(x[:, inputColumns] W + b)`.
///
/// In LT-Synth the columns are the model's accessible semantic factors; for a network
/// trained from scratch they are all columns.
public struct Encoder: Sendable, Equatable {
  public var inputColumns: [Int]
  public var layer: Linear

  public var outputDim: Int { layer.outputDim }

  /// Features of every row of `x`; `x` must have more columns than the largest input column.
  public func encode(_ x: Matrix) throws -> Matrix {
    if let mx = inputColumns.max(), mx >= x.cols {
      throw LearnError("the encoder reads column \(mx) but the input has \(x.cols) columns")
    }
    return forward(selectInputs(x)).activation
  }

  func selectInputs(_ x: Matrix) -> Matrix {
    if inputColumns.count == x.cols && inputColumns.elementsEqual(0..<x.cols) { return x }
    return x.gatherColumns(inputColumns)
  }

  /// Pre-activation and activation for already-selected inputs.
  func forward(_ xs: Matrix) -> (pre: Matrix, activation: Matrix) {
    let pre = layer.forward(xs)
    var act = pre
    for i in 0..<act.data.count where act.data[i] < 0 { act.data[i] = 0 }
    return (pre, act)
  }
}

extension Matrix {
  /// Adds `v` to every row (nothing when the length differs from `cols`).
  mutating func addRowVector(_ v: [Float]) {
    let n = cols
    if v.count != n { return }
    data.withUnsafeMutableBufferPointer { d in
      v.withUnsafeBufferPointer { vb in
        guard let base = d.baseAddress, let src = vb.baseAddress else { return }
        for r in 0..<rows { addInPlace(base + r * n, src, n) }
      }
    }
  }

  /// The sum of each column, rows added in order.
  func columnSums() -> [Float] {
    var s = [Float](repeating: 0, count: cols)
    let n = cols
    data.withUnsafeBufferPointer { d in
      s.withUnsafeMutableBufferPointer { sb in
        guard let base = d.baseAddress, let acc = sb.baseAddress else { return }
        for r in 0..<rows { addInPlace(acc, base + r * n, n) }
      }
    }
    return s
  }
}

/// `acc[j] += x[j]` for `n` entries, eight lanes at a time (the pointers may not alias).
@inline(__always)
private func addInPlace(_ acc: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int) {
  var j = 0
  while j + 8 <= n {
    let v =
      UnsafeRawPointer(acc + j).loadUnaligned(as: SIMD8<Float>.self)
      + UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<Float>.self)
    UnsafeMutableRawPointer(acc + j).storeBytes(of: v, as: SIMD8<Float>.self)
    j += 8
  }
  while j < n {
    acc[j] += x[j]
    j += 1
  }
}
