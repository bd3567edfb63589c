/// Label utilities: one-hot encoding and class counts.
import LTNumberText
extension Tensor {
  /// Longest bincount result (the language's `n:` limit for bincount).
  public static let maxBincount = 1 << 26

  /// Reads labels as whole numbers in [0, n) (n nil: any non-negative), or throws.
  func labelValues(_ what: String, classes n: Int?) throws -> [Int] {
    try toDoubles().map { v in
      guard v.rounded() == v, v.isFinite, Swift.abs(v) < 2147483648 else {
        throw TensorError("\(what): label \(formatNumber(v)) is not a whole number")
      }
      let i = Int(v)
      if i < 0 { throw TensorError("\(what): label \(i) is negative") }
      if let n, i >= n { throw TensorError("\(what): label \(i) is out of range for \(n) classes") }
      return i
    }
  }

  /// One row of `n` float32 columns per label, 1 at the label's column.
  public func oneHot(_ n: Int) throws -> Tensor {
    guard n >= 0 else { throw TensorError("one_hot: number of classes must be non-negative, got \(n)") }
    let labels = try labelValues("one_hot", classes: n)
    let out = try Tensor.empty(shape + [n], .float32)
    let p = out.pointer(Float.self)
    for (i, l) in labels.enumerated() { p[i * n + l] = 1 }
    return out
  }

  /// Count of each label value 0..<max(n, largest + 1) as int32 (NumPy's
  /// bincount with minlength n). The result has at most `maxBincount` entries.
  public func bincount(_ n: Int = 0) throws -> Tensor {
    guard ndim <= 1 else { throw TensorError("bincount needs a 1-d tensor of labels, got shape \(formatShape(shape))") }
    let labels = try labelValues("bincount", classes: nil)
    let len = Swift.max(n, (labels.max() ?? -1) + 1)
    // Checked before allocating: one stray label of 2e9 would ask for 8 GB of counts,
    // where NumPy would try to allocate them.
    guard len <= Tensor.maxBincount else {
      let cause = n > Tensor.maxBincount ? "n = \(n)" : "label \(len - 1)"
      throw TensorError("bincount: \(cause) is too large (the result has at most \(Tensor.maxBincount) entries)")
    }
    let out = try Tensor.empty([len], .int32)
    let counts = out.pointer(Int32.self)
    for l in labels { counts[l] &+= 1 }
    return out
  }
}
