import LTLang

/// The two command lines scripts and benchmarks spawn most, `ltnb exec FILE` and
/// `ltnb -e CODE`, recognised without ArgumentParser: its reflection over every
/// subcommand's properties costs about 2 ms per process, a third of `ltnb -e 1`
/// (docs/decisions.md, "Start-up"). Anything else, including any argument that starts
/// with '-' (where `--help` or a flag could hide), goes to ArgumentParser as before, so
/// both paths accept exactly the same meaning for these shapes.
enum QuickCommandLine {
    /// The work for `arguments` (without the program name), or nil for ArgumentParser.
    static func command(_ arguments: [String]) -> (() -> Int32)? {
        guard arguments.count == 2 else { return nil }
        let (first, second) = (arguments[0], arguments[1])
        if second.hasPrefix("-") && second != "-" { return nil }
        switch first {
        case "exec": return { Runner.exec(path: second) }
        case "-e" where second != "-": return { Runner.exec(SourceFile(name: "<-e>", text: second)) }
        default: return nil
        }
    }
}
