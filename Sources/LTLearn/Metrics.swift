import LTNumberText
import CLTKernels

// Classification metrics, computed by one streaming accumulator so logits too large for
// memory can be fed chunk by chunk (rows of a memory-mapped file, say).

/// Accuracy over all samples and per group (see `groupAccuracy`).
public struct GroupAccuracy: Sendable, Equatable {
  /// Top-1 accuracy over all samples.
  public var all: Double
  /// Mean per-class accuracy over the group's classes with samples; nil for an empty group.
  public var many: Double?
  public var medium: Double?
  public var few: Double?
}

/// Running sums for accuracy, per-class accuracy, macro-F1, ECE and NLL. Feed it chunks of
/// logits (or probabilities, or predictions) with their labels; read the metrics at the end.
/// Memory is O(K + bins), or O(K^2) with `trackConfusion`.
public struct MetricAccumulator: Sendable {
  public let nClasses: Int
  public let bins: Int
  public private(set) var count = 0
  public private(set) var correct = 0
  var classTotal: [Int]
  var classCorrect: [Int]
  var predicted: [Int]
  var binCount: [Int]
  var binConfidence: [Double]
  var binCorrect: [Int]
  var nllSum = 0.0
  var hasProbabilities = true
  var confusionCounts: [Int]?

  public init(nClasses: Int, bins: Int = 15, trackConfusion: Bool = false) throws {
    if nClasses <= 0 { throw LearnError("metrics need at least one class, got \(nClasses)") }
    if bins <= 0 { throw LearnError("bins must be positive, got \(bins)") }
    self.nClasses = nClasses
    self.bins = bins
    classTotal = [Int](repeating: 0, count: nClasses)
    classCorrect = classTotal
    predicted = classTotal
    binCount = [Int](repeating: 0, count: bins)
    binCorrect = binCount
    binConfidence = [Double](repeating: 0, count: bins)
    if trackConfusion { confusionCounts = [Int](repeating: 0, count: nClasses * nClasses) }
  }

  /// Adds a chunk of logits: softmax gives the confidences and NLL.
  public mutating func add(logits: Matrix, labels: [Int32]) throws {
    try checkShape(logits, labels)
    try logits.data.withUnsafeBufferPointer { b in
      try addRows(b.baseAddress, rows: logits.rows, labels: labels[...], logits: true)
    }
  }

  /// Adds a chunk of probabilities (each row non-negative, summing to 1 within 1e-3).
  public mutating func add(probabilities p: Matrix, labels: [Int32]) throws {
    try checkShape(p, labels)
    try p.data.withUnsafeBufferPointer { b in
      try addRows(b.baseAddress, rows: p.rows, labels: labels[...], logits: false)
    }
  }

  /// Adds `labels.count` rows of `nClasses` float32 logits (or probabilities) read in
  /// place from `base`, row r at `base + r * nClasses`: the memory-mapped path, where a
  /// copy of each block would cost as much as the scoring. The Matrix entry points come
  /// here too, so streamed and in-memory scores are the same bits.
  public mutating func add(rows base: UnsafePointer<Float>, labels: ArraySlice<Int32>, probabilities: Bool) throws {
    for (i, y) in labels.enumerated() where y < 0 || Int(y) >= nClasses {
      throw LearnError("labels[\(count + i)] = \(y) is out of range 0..<\(nClasses)")
    }
    try addRows(base, rows: labels.count, labels: labels, logits: !probabilities)
  }

  /// One fused pass per row (CLTKernels' lt_row_stats_f32): argmax, the confidence and
  /// the true label's probability; then the rows are recorded in order, so the sums do
  /// not depend on how the input was cut into chunks. Labels are already checked.
  private mutating func addRows(_ base: UnsafePointer<Float>?, rows: Int, labels: ArraySlice<Int32>, logits: Bool) throws {
    guard rows > 0, let base else { return }
    var pred = [Int32](repeating: 0, count: rows)
    var conf = [Double](repeating: 0, count: rows)
    var ptrue = [Double](repeating: 0, count: rows)
    let k = nClasses
    let bad = Array(labels).withUnsafeBufferPointer { y in
      lt_row_stats_f32(base, Int64(rows), Int64(k), Int64(k), logits ? Int32(LT_ROWS_LOGITS) : Int32(LT_ROWS_PROBS),
                       y.baseAddress, &pred, &conf, &ptrue)
    }
    if bad >= 0 {
      let r = Int(bad)
      let row = UnsafeBufferPointer(start: base + r * k, count: k)
      throw logits ? badLogitsRow(row, at: count + r) : badProbabilityRow(row, at: count + r)
    }
    for i in 0..<rows {
      let best = Int(pred[i]), y = Int(labels[labels.startIndex + i])
      record(best, y)
      // Equal-width, right-closed bins ((m-1)/M, m/M]; confidence 0 goes to the first bin.
      let cf = conf[i]
      let bin = min(bins - 1, max(0, Int((cf * Double(bins)).rounded(.up)) - 1))
      binCount[bin] += 1
      binConfidence[bin] += cf
      if best == y { binCorrect[bin] += 1 }
      nllSum -= dlog(max(ptrue[i], 1e-12))
    }
  }

  /// Adds a chunk of hard predictions (no confidences: ECE and NLL become unavailable).
  public mutating func add(predictions: [Int32], labels: [Int32]) throws {
    try checkLabels(labels, count: labels.count, nClasses: nClasses)
    try checkLabels(predictions, count: labels.count, nClasses: nClasses, "predictions")
    hasProbabilities = false
    for (p, y) in zip(predictions, labels) { record(Int(p), Int(y)) }
  }

  private func checkShape(_ m: Matrix, _ labels: [Int32]) throws {
    if m.cols != nClasses {
      throw LearnError("expected \(nClasses) columns (classes), got \(m.cols)")
    }
    try checkLabels(labels, count: m.rows, nClasses: nClasses)
  }

  private mutating func record(_ p: Int, _ y: Int) {
    count += 1
    classTotal[y] += 1
    predicted[p] += 1
    if p == y {
      correct += 1
      classCorrect[y] += 1
    }
    if confusionCounts != nil { confusionCounts?[y * nClasses + p] += 1 }
  }

  // MARK: - Results

  /// Top-1 accuracy over all samples.
  public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }

  /// Accuracy of each class; NaN marks a class with no samples.
  public var perClassAccuracy: [Double] {
    (0..<nClasses).map {
      classTotal[$0] == 0 ? .nan : Double(classCorrect[$0]) / Double(classTotal[$0])
    }
  }

  /// Macro-averaged F1 over the classes that occur as a label or a prediction.
  public var macroF1: Double {
    var s = 0.0
    var n = 0
    for c in 0..<nClasses {
      let tp = classCorrect[c]
      let fp = predicted[c] - tp
      let fn = classTotal[c] - tp
      let d = 2 * tp + fp + fn
      if d == 0 { continue }
      s += Double(2 * tp) / Double(d)
      n += 1
    }
    return n == 0 ? 0 : s / Double(n)
  }

  /// Expected calibration error (Guo et al., "On Calibration of Modern Neural Networks",
  /// ICML 2017): sum over non-empty bins of |B|/n * |acc(B) - conf(B)|.
  public func ece() throws -> Double {
    if !hasProbabilities { throw LearnError("ECE needs probabilities or logits, not predictions") }
    var e = 0.0
    for b in 0..<bins where binCount[b] > 0 {
      let nb = Double(binCount[b])
      e += nb / Double(max(count, 1)) * abs(Double(binCorrect[b]) / nb - binConfidence[b] / nb)
    }
    return e
  }

  /// Mean negative log-likelihood of the true class (probabilities clipped below at 1e-12).
  public func nll() throws -> Double {
    if !hasProbabilities { throw LearnError("NLL needs probabilities or logits, not predictions") }
    return count == 0 ? 0 : nllSum / Double(count)
  }

  /// The confusion matrix, rows = true class, columns = predicted class.
  public func confusion() throws -> [[Int]] {
    guard let c = confusionCounts else {
      throw LearnError("this accumulator was made without trackConfusion")
    }
    return (0..<nClasses).map { Array(c[($0 * nClasses)..<(($0 + 1) * nClasses)]) }
  }

  /// Overall accuracy and mean per-class accuracy within each group (the OLTR convention,
  /// Liu et al., CVPR 2019). `groups` has one entry per class.
  public func groupAccuracy(_ groups: [ClassGroup]) throws -> GroupAccuracy {
    if groups.count != nClasses {
      throw LearnError("groups has \(groups.count) entries but there are \(nClasses) classes")
    }
    let pc = perClassAccuracy
    func mean(_ g: ClassGroup) -> Double? {
      let v = (0..<nClasses).filter { groups[$0] == g && !pc[$0].isNaN }.map { pc[$0] }
      return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
    }
    return GroupAccuracy(all: accuracy, many: mean(.many), medium: mean(.medium), few: mean(.few))
  }
}

/// The error for a logits row the kernel found non-finite (`row` is its index in the input).
func badLogitsRow(_ v: UnsafeBufferPointer<Float>, at row: Int) -> LearnError {
  let c = v.firstIndex { !$0.isFinite } ?? 0
  return LearnError("logits contains \(formatNumber(v.isEmpty ? .nan : v[c])) at row \(row), column \(c)")
}

/// The error for a probability row the kernel refused: the first non-finite or
/// out-of-range entry, else the row's sum.
func badProbabilityRow(_ v: UnsafeBufferPointer<Float>, at row: Int) -> LearnError {
  if let c = v.firstIndex(where: { !$0.isFinite }) {
    return LearnError("probabilities contains \(formatNumber(v[c])) at row \(row), column \(c)")
  }
  if let c = v.firstIndex(where: { $0 < 0 || $0 > 1 }) {
    return LearnError("probabilities[\(row), \(c)] = \(formatNumber(v[c])) is outside [0, 1]; pass logits instead?")
  }
  let s = v.reduce(0.0) { $0 + Double($1) }
  return LearnError("probability row \(row) sums to \(formatNumber(s)), not 1; apply softmax first")
}

// MARK: - One-shot functions

/// Top-1 accuracy of `logits` (argmax per row) against `labels`.
public func accuracy(_ logits: Matrix, _ labels: [Int32]) throws -> Double {
  var a = try MetricAccumulator(nClasses: max(logits.cols, 1))
  try a.add(predictions: try argmaxChecked(logits, labels), labels: labels)
  return a.accuracy
}

/// Top-1 accuracy of hard predictions.
public func accuracy(predictions: [Int32], _ labels: [Int32]) throws -> Double {
  if predictions.count != labels.count {
    throw LearnError("\(predictions.count) predictions but \(labels.count) labels")
  }
  if labels.isEmpty { throw LearnError("accuracy of an empty set is undefined") }
  return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(labels.count)
}

/// Accuracy of each class (NaN marks a class with no samples).
public func perClassAccuracy(_ logits: Matrix, _ labels: [Int32], nClasses: Int? = nil) throws
  -> [Double]
{
  var a = try MetricAccumulator(nClasses: nClasses ?? logits.cols)
  try a.add(predictions: try argmaxChecked(logits, labels), labels: labels)
  return a.perClassAccuracy
}

/// Overall accuracy and per-group mean per-class accuracy (`groups`: one per class).
public func groupAccuracy(_ logits: Matrix, _ labels: [Int32], groups: [ClassGroup]) throws
  -> GroupAccuracy
{
  var a = try MetricAccumulator(nClasses: logits.cols)
  try a.add(predictions: try argmaxChecked(logits, labels), labels: labels)
  return try a.groupAccuracy(groups)
}

/// Expected calibration error of probabilities, `bins` equal-width right-closed bins,
/// empty bins skipped.
public func ece(_ probabilities: Matrix, _ labels: [Int32], bins: Int = 15) throws -> Double {
  var a = try MetricAccumulator(nClasses: probabilities.cols, bins: bins)
  try a.add(probabilities: probabilities, labels: labels)
  return try a.ece()
}

/// Mean negative log-likelihood of probabilities.
public func nll(_ probabilities: Matrix, _ labels: [Int32]) throws -> Double {
  var a = try MetricAccumulator(nClasses: probabilities.cols)
  try a.add(probabilities: probabilities, labels: labels)
  return try a.nll()
}

/// Confusion matrix of predictions (rows true class, columns predicted).
public func confusion(predictions: [Int32], _ labels: [Int32], nClasses: Int) throws -> [[Int]] {
  var a = try MetricAccumulator(nClasses: nClasses, trackConfusion: true)
  try a.add(predictions: predictions, labels: labels)
  return try a.confusion()
}

/// Macro-F1 of predictions over the classes present as label or prediction.
public func macroF1(predictions: [Int32], _ labels: [Int32], nClasses: Int? = nil) throws -> Double
{
  let k = nClasses ?? (Int(max(predictions.max() ?? 0, labels.max() ?? 0)) + 1)
  var a = try MetricAccumulator(nClasses: k)
  try a.add(predictions: predictions, labels: labels)
  return a.macroF1
}

func argmaxChecked(_ logits: Matrix, _ labels: [Int32]) throws -> [Int32] {
  if logits.cols == 0 { throw LearnError("logits have no columns (classes)") }
  try checkLabels(labels, count: logits.rows, nClasses: logits.cols)
  if labels.isEmpty { throw LearnError("metrics of an empty set are undefined") }
  for v in logits.data where v.isNaN { throw LearnError("logits contain NaN") }
  return logits.argmaxRows()
}

/// Spearman rank correlation of two equal-length vectors (ties get average ranks).
public func spearman(_ a: [Double], _ b: [Double]) throws -> Double {
  if a.count != b.count { throw LearnError("spearman: lengths \(a.count) and \(b.count) differ") }
  if a.count < 2 { throw LearnError("spearman needs at least two values") }
  if a.contains(where: \.isNaN) || b.contains(where: \.isNaN) {
    throw LearnError("spearman: input contains NaN")
  }
  let ra = ranks(a)
  let rb = ranks(b)
  let n = Double(a.count)
  let ma = ra.reduce(0, +) / n
  let mb = rb.reduce(0, +) / n
  var sab = 0.0
  var saa = 0.0
  var sbb = 0.0
  for i in 0..<a.count {
    sab += (ra[i] - ma) * (rb[i] - mb)
    saa += (ra[i] - ma) * (ra[i] - ma)
    sbb += (rb[i] - mb) * (rb[i] - mb)
  }
  if saa == 0 || sbb == 0 { throw LearnError("spearman: a constant vector has no ranking") }
  return sab / (saa * sbb).squareRoot()
}

func ranks(_ v: [Double]) -> [Double] {
  let order = (0..<v.count).sorted { v[$0] < v[$1] }
  var r = [Double](repeating: 0, count: v.count)
  var i = 0
  while i < order.count {
    var j = i
    while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
    let avg = Double(i + j) / 2 + 1
    for t in i...j { r[order[t]] = avg }
    i = j + 1
  }
  return r
}
