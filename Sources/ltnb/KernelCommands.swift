import ArgumentParser
import Foundation
import LTKernel

/// `ltnb kernel --connection-file FILE`, `ltnb kernel install|uninstall`: the Jupyter
/// kernel (LTKernel) and its kernelspec. See docs/jupyter.md.
struct KernelCommand: ParsableCommand, ThrowingCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel", abstract: "Run ltnb as a Jupyter kernel, or install its kernelspec.",
        discussion: "Jupyter starts `ltnb kernel --connection-file FILE` itself once the kernelspec is installed "
            + "(`ltnb kernel install`). Exit status: 0 after a shutdown request; 1 the kernel could not start "
            + "(bad connection file, a port in use, another kernel on the same file); 2 a usage error.",
        subcommands: [KernelInstallCommand.self, KernelUninstallCommand.self])

    @Option(help: ArgumentHelp("The connection file Jupyter wrote (ports, transport, key).", valueName: "FILE"))
    var connectionFile: String?

    mutating func execute() -> Int32 {
        guard let connectionFile else {
            Terminal.writeError("error: ltnb kernel needs --connection-file FILE (Jupyter passes it; see `ltnb kernel --help`)\n")
            return 2
        }
        let log: (String) -> Void = { Terminal.writeError("[ltnb kernel] \($0)\n") }
        do {
            let kernel = try Kernel(Kernel.Configuration(connectionFile: connectionFile, version: ltnbVersion, log: log))
            return kernel.run()
        } catch {
            Terminal.writeError("error: \(error.message)\n")
            return 1
        }
    }
}

/// Where `install` / `uninstall` put the kernelspec.
struct KernelLocationOptions: ParsableArguments {
    @Flag(help: "The user's Jupyter data folder (the default).")
    var user = false

    @Option(help: ArgumentHelp("Under DIR/share/jupyter/kernels.", valueName: "DIR"))
    var prefix: String?

    @Flag(help: "In the active virtualenv or conda environment.")
    var sysPrefix = false

    func location() throws(KernelError) -> KernelSpec.Location {
        let chosen = (user ? 1 : 0) + (prefix == nil ? 0 : 1) + (sysPrefix ? 1 : 0)
        guard chosen <= 1 else { throw KernelError("choose one of --user, --prefix DIR and --sys-prefix") }
        if let prefix { return .prefix(URL(fileURLWithPath: prefix).standardizedFileURL.path) }
        return sysPrefix ? .sysPrefix : .user
    }
}

struct KernelInstallCommand: ParsableCommand, ThrowingCommand {
    static let configuration = CommandConfiguration(
        commandName: "install", abstract: "Install the ltnb kernelspec (kernel.json and logos) for Jupyter.")

    @OptionGroup var where_: KernelLocationOptions

    mutating func execute() -> Int32 {
        do {
            let dir = try KernelSpec.install(try where_.location(), executable: Self.executablePath)
            Terminal.write("installed the ltnb kernelspec in \(dir)\n")
            return 0
        } catch {
            Terminal.writeError("error: \(error.message)\n")
            return 1
        }
    }

    /// This binary's absolute path, for kernel.json's argv.
    static var executablePath: String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        let arg0 = CommandLine.arguments.first ?? "ltnb"
        return URL(fileURLWithPath: arg0).standardizedFileURL.resolvingSymlinksInPath().path
    }
}

struct KernelUninstallCommand: ParsableCommand, ThrowingCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall", abstract: "Remove the ltnb kernelspec.")

    @OptionGroup var where_: KernelLocationOptions

    mutating func execute() -> Int32 {
        do {
            let dir = try KernelSpec.uninstall(try where_.location())
            Terminal.write("removed \(dir)\n")
            return 0
        } catch {
            Terminal.writeError("error: \(error.message)\n")
            return 1
        }
    }
}

/// `ltnb convert NB.ltnb --to ipynb [--execute]`, `ltnb convert NB.ipynb --to ltnb`.
struct ConvertCommand: ParsableCommand, ThrowingCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert", abstract: "Convert a notebook between .ltnb and Jupyter's .ipynb.",
        discussion: "Cells, prose, front matter and cell options round-trip. Exit status: 0 written; "
            + "1 written, but a cell failed under --execute; 2 the input could not be read or parsed.")

    @Argument(help: ArgumentHelp("The notebook to convert (.ltnb or .ipynb).", valueName: "NOTEBOOK"))
    var input: String

    @Option(help: ArgumentHelp("The format to write: ipynb or ltnb (default: the other one).", valueName: "FORMAT"))
    var to: String?

    @Option(name: .short, help: ArgumentHelp("The file to write (default: beside the input, other extension).", valueName: "FILE"))
    var output: String?

    @Flag(name: .customLong("execute"), help: "Run the notebook first (as `ltnb run` does) and keep its outputs in the .ipynb.")
    var executeFirst = false

    @Option(name: .short, help: ArgumentHelp("With --execute, override a param.", valueName: "name=value"))
    var param: [String] = []

    mutating func execute() -> Int32 {
        let format: Convert.Format
        if let to {
            guard let f = Convert.Format(rawValue: to.lowercased()) else {
                Terminal.writeError("error: --to must be ipynb or ltnb, not '\(to)'\n")
                return 2
            }
            format = f
        } else {
            format = input.lowercased().hasSuffix(".ipynb") ? .ltnb : .ipynb
        }
        var request = Convert.Request(input: input, to: format)
        request.output = output
        request.execute = executeFirst
        request.ltnbVersion = ltnbVersion
        for p in param {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                Terminal.writeError("error: -p expects name=value, got '\(p)'\n")
                return 2
            }
            request.params.append((String(p[..<eq]), String(p[p.index(after: eq)...])))
        }
        return Convert.run(request, log: { Terminal.writeError($0) })
    }
}
