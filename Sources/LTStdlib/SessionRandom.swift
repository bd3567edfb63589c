import LTLang
import LTTensor

/// The session's global random generator, reset by `seed(n)`; rand, randn, randint and
/// any built-in given no `seed:` draw from it. A notebook seeds it from its front matter,
/// so runs are repeatable.
public final class SessionRandom {
    public private(set) var seed: UInt64 = 0
    public var generator = RandomGenerator(seed: 0)

    public func reseed(_ seed: UInt64) {
        self.seed = seed
        generator = RandomGenerator(seed: seed)
    }

    /// A fresh seed for a built-in that takes `seed:` when the user gave none.
    public func nextSeed() -> UInt64 { generator.next() }

    public static func of(_ interpreter: Interpreter) -> SessionRandom {
        if let r = interpreter.userData["random"] as? SessionRandom { return r }
        let r = SessionRandom()
        interpreter.userData["random"] = r
        return r
    }
}
