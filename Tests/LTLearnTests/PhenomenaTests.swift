// The phenomena LT-Synth must show (DESIGN.md and issue #12), checked on the default world
// (seed 0) and two other seeds with the generator's global defaults and the authors'
// fine-tuning defaults (SGD, lr 0.01, 10 epochs, batch 128, cosine schedule, cosine head
// of scale 25 started from the zero-shot head): the same settings notebooks/paper.ltnb uses.
//
// Each seed builds a full default world, fine-tunes 6 heads, 9 more for Tab. 13 and 2 for
// Fig. 12, and trains one network from scratch. LTLearn is compiled with -O even in debug
// builds (Package.swift, docs/decisions.md), so this runs in `make test` in about a
// minute; `ltLearnIsOptimisedInEveryConfiguration` fails if that flag is lost. The
// numbers each seed gave are in docs/lt-synth.md.
import Testing

@testable import LTLearn

@Test func ltLearnIsOptimisedInEveryConfiguration() {
  #expect(compiledOptimised, "LTLearn lost its -O flag (Package.swift); the phenomena suite needs it")
}

/// The paper's fine-tuning setting, with `loss`.
func paperConfig(_ loss: LossKind, seed: UInt64 = 0) -> TrainConfig {
  var tc = TrainConfig()
  tc.head = .cosine
  tc.loss = loss
  tc.seed = seed
  return tc
}

@Suite(.serialized)
struct PhenomenaTests {
  struct Outcome {
    var zeroShotByPrior: [GroupAccuracy] = []
    var glaSpearman: [Double] = []
    var ceFew: [Double] = []
    var laFew: [Double] = []
    var laByEstimatedPrior: [GroupAccuracy] = []
    var single: [Double] = []
    var backdoor = 0.0
    var scratch = 0.0
    /// Tab. 13: LA accuracy of model 0 for consistent, reverse, balanced, one per draw.
    var order: [[Double]] = []
    /// Fig. 12: rows train A / train B, columns test A / test B.
    var confounder: [[Double]] = []
  }

  /// Fig. 12's settings. A: every factor visible half of the time, for every class.
  /// B: the same marginal visibility, but correlated with the label: even classes show
  /// factors {0, 1} 90 % and {2, 3} 10 % of the time, odd classes the reverse.
  static func settingA(_ c: SynthConfig) -> [[Double]] { [[Double](repeating: 0.5, count: c.factors)] }
  static func settingB(_ c: SynthConfig) -> [[Double]] {
    (0..<c.classes).map { k in
      (0..<c.factors).map { f in (f < c.factors / 2) == (k % 2 == 0) ? 0.9 : 0.1 }
    }
  }

  /// Downstream draws per order in Tab. 13 (the paper: 3; see the check for why 8).
  static let orderDraws: UInt64 = 8

  static func run(seed: UInt64) throws -> Outcome {
    var cfg = SynthConfig()
    cfg.seed = seed
    let w = try synth(cfg)
    let dg = try dgroups(w.train.classCounts)
    var out = Outcome()
    var members: [Matrix] = []
    for (m, model) in w.models.enumerated() {
      let zs = try zeroShot(model, w.test)
      out.zeroShotByPrior.append(
        try groupAccuracy(zs, w.test.labels, groups: try pgroups(w.priors[m])))
      let gla = try estimatePriorGLA(logits: try zeroShot(model, w.val), labels: w.val.labels)
      out.glaSpearman.append(try spearman(gla.prior, w.priors[m]))
      let ce = try predict(try finetune(model, on: w.train, config: paperConfig(.ce)).model, w.test)
      let la = try predict(
        try finetune(model, on: w.train, config: paperConfig(.la(tau: 1))).model, w.test)
      out.ceFew.append(try groupAccuracy(ce, w.test.labels, groups: dg).few ?? -1)
      out.laFew.append(try groupAccuracy(la, w.test.labels, groups: dg).few ?? -1)
      out.laByEstimatedPrior.append(
        try groupAccuracy(la, w.test.labels, groups: try pgroups(gla.prior)))
      out.single.append(try accuracy(la, w.test.labels))
      members.append(la)
    }
    out.backdoor = try accuracy(try backdoor(members), w.test.labels)

    var scratch = TrainConfig()
    scratch.loss = .la(tau: 1)
    scratch.epochs = 30
    scratch.lr = 0.05
    let sm = try trainFromScratch(w.train, hidden: cfg.hidden, config: scratch).model
    out.scratch = try accuracy(try predict(sm, w.test), w.test.labels)

    let m0 = w.models[0]
    for order in [ClassOrder.consistent(w.priors[0]), .reverse(w.priors[0]), .balanced] {
      var draws: [Double] = []
      for s in 0..<Self.orderDraws {
        let pool = try sample(w, perClass: 500, seed: 100 + s)
        let ds = try pool.longtail(imbalance: 100, order: order, seed: s)
        let ft = try finetune(m0, on: ds, config: paperConfig(.la(tau: 1), seed: s)).model
        draws.append(try accuracy(try predict(ft, w.test), w.test.labels))
      }
      out.order.append(draws)
    }

    let settings = [settingA(cfg), settingB(cfg)]
    for tr in settings {
      let train = try sample(w, perClass: 50, classVisibility: tr, seed: 7)
      let ft = try finetune(m0, on: train, config: paperConfig(.la(tau: 1))).model
      out.confounder.append(
        try settings.map { te in
          let ds = try sample(w, perClass: 50, classVisibility: te, seed: 8)
          return try accuracy(try predict(ft, ds), ds.labels)
        })
    }
    return out
  }

  @Test(arguments: [0, 1, 2] as [UInt64])
  func phenomenaEmerge(seed: UInt64) throws {
    let o = try Self.run(seed: seed)
    for (m, g) in o.zeroShotByPrior.enumerated() {
      let many = g.many ?? 0
      let medium = g.medium ?? 0
      let few = g.few ?? 1
      #expect(many > medium && medium > few, "model \(m): zero-shot P-groups \(g)")
    }
    for (m, r) in o.glaSpearman.enumerated() { #expect(r >= 0.8, "model \(m): Spearman \(r)") }
    for m in 0..<o.laFew.count {
      #expect(o.laFew[m] > o.ceFew[m], "model \(m): D-Few LA \(o.laFew[m]) CE \(o.ceFew[m])")
      // Parameter imbalance survives LA: accuracy still falls along the estimated prior.
      let g = o.laByEstimatedPrior[m]
      #expect((g.many ?? 0) > (g.few ?? 1), "model \(m): LA by estimated P-group \(g)")
    }
    let meanSingle = o.single.reduce(0, +) / Double(o.single.count)
    // Pre-training is worth it: from scratch is at least 5 points below LA fine-tuning.
    #expect(o.scratch <= meanSingle - 0.05, "scratch \(o.scratch) vs LA \(meanSingle)")
    // The backdoor adjustment helps, by a few points (the paper: 1.5-2).
    let gain = o.backdoor - meanSingle
    #expect(gain > 0 && gain <= 0.08, "backdoor \(o.backdoor) vs mean single \(meanSingle)")
    // Tab. 13: a downstream tail consistent with the pre-training tail is the worst case,
    // by about a point. Balanced and reverse differ by less than draw noise at the paper's
    // 3 draws, so 8 draws here: balanced is ahead by about two standard errors on seeds 0
    // and 1 (71.47 vs 71.23, +0.24 +- 0.13; 72.08 vs 71.86, +0.22 +- 0.10) and level on
    // seed 2 (70.77 vs 70.82, -0.05 +- 0.10).
    // balanced >= reverse is therefore checked as "not below it beyond two standard errors
    // of the difference", which a reversed order would fail.
    let (consistent, reverse, balanced) = (mean(o.order[0]), mean(o.order[1]), mean(o.order[2]))
    #expect(reverse > consistent && balanced > consistent, "Tab. 13 \(o.order)")
    let se = (sampleVariance(o.order[1]) / Double(o.order[1].count)
      + sampleVariance(o.order[2]) / Double(o.order[2].count)).squareRoot()
    #expect(balanced - reverse >= -2 * se, "Tab. 13 balanced \(balanced) reverse \(reverse) se \(se)")
    // Fig. 12: trained on A, alike on A and B; trained on B, it drops on A.
    let c = o.confounder
    #expect(abs(c[0][0] - c[0][1]) < 0.04, "train A on A / B: \(c[0])")
    #expect(c[1][1] - c[1][0] > 0.05, "train B on B / A: \(c[1])")
    #expect(c[1][1] - c[1][0] > 2 * abs(c[0][0] - c[0][1]), "asymmetry \(c)")
  }

  /// GLA on an imbalanced labelled set (the long-tailed training split itself): the
  /// class-balanced objective recovers the true prior, the sample mean absorbs the set's
  /// own frequencies. Seed 0, model 0: class-balanced Spearman 0.918, L1 0.261; sample
  /// mean Spearman 0.472, L1 0.861 (on the balanced val split: 0.872, 0.368).
  @Test func classBalancedGLARecoversThePriorFromAnImbalancedSet() throws {
    let w = try synth(SynthConfig())
    let model = w.models[0]
    let z = try zeroShot(model, w.train)
    let balanced = try estimatePriorGLA(logits: z, labels: w.train.labels)
    let mean = try estimatePriorGLA(logits: z, labels: w.train.labels, classBalanced: false)
    let truth = w.priors[0]
    let (rb, rm) = (try spearman(balanced.prior, truth), try spearman(mean.prior, truth))
    #expect(rb >= 0.85 && rb > rm + 0.3, "Spearman class-balanced \(rb) sample mean \(rm)")
    #expect(l1(balanced.prior, truth) < l1(mean.prior, truth) - 0.3)
  }
}
