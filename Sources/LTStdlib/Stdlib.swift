import LTLang
import LTTensor

/// The built-in library: every family's registration table, listed the way Lua's
/// `linit.c` lists its libraries. Nothing registers itself as a side effect.
public enum Stdlib {
    /// Families in registration order; a later family may extend an earlier name
    /// (the tensor `max` extends the core one).
    public static var families: [(name: String, builtins: [Builtin])] {
        [
            ("Core", Core.builtins),
            ("Collections", Collections.builtins),
            ("Math", MathFamily.builtins),
            ("Tensors", TensorCreate.builtins + TensorMath.builtins + TensorShape.builtins),
            ("Data", DataFiles.builtins),
            ("Datasets", Datasets.builtins),
            ("LT-Synth and models", Training.builtins),
            ("Priors and ensembles", PriorsEnsembles.builtins),
            ("Metrics", Metrics.builtins),
            ("Plots", Plots.builtins),
            ("Tables", Tables.builtins),
        ]
    }

    /// Every built-in, in family order.
    public static var allBuiltins: [Builtin] {
        var seen = Set<String>()
        return families.flatMap(\.builtins).filter { seen.insert($0.name).inserted }
    }

    /// A fresh interpreter with the whole library bound.
    public static func makeInterpreter(sink: DisplaySink = BufferSink()) -> Interpreter {
        registerDecoders
        let interpreter = Interpreter(builtins: allBuiltins, sink: sink)
        interpreter.borrowedElementReader = TensorObject.borrowedElementReader
        return interpreter
    }

    /// Decoders for library objects that cached notebook cells store, registered once.
    private static let registerDecoders: Void = ObjectPersistence.registerDecoders()
}
