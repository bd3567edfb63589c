import LTLang
import LTTensor

/// The built-in library: every family's registration table, listed the way Lua's
/// `linit.c` lists its libraries. Nothing registers itself as a side effect.
public enum Stdlib {
    /// Families in registration order. Each name belongs to one family (a test checks):
    /// `max`, `abs` and the others shared by numbers and tensors live in the tensor family.
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

    /// Every built-in, in family order. No set of names drops repeats here: that cost
    /// every process a twentieth of its start-up, and the test of unique names catches a
    /// repeat before it ships.
    public static var allBuiltins: [Builtin] { families.flatMap(\.builtins) }

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
