import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal, redrawn at
/// most 20 times a second and erased when done. The REPL will hand it to long-running
/// built-ins (finetune, feature extraction) once the engine has a progress hook; until
/// then nothing calls `update`.
final class ProgressBar {
    let enabled: Bool
    private var lastDraw = 0.0
    private var drawn = false

    init(enabled: Bool = isatty(STDERR_FILENO) != 0) { self.enabled = enabled }

    /// `fraction` in 0...1; `label` says what is running ("finetune epoch 3/10").
    func update(_ fraction: Double, label: String) {
        guard enabled else { return }
        let now = ProcessInfo.processInfo.systemUptime
        guard !drawn || now - lastDraw >= 0.05 || fraction >= 1 else { return }
        lastDraw = now
        drawn = true
        Terminal.writeError("\r" + Self.render(fraction, label: label, width: TerminalSize.columns) + "\u{1B}[K")
    }

    /// Erases the bar so the entry's output starts on a clean line.
    func finish() {
        guard enabled, drawn else { return }
        drawn = false
        Terminal.writeError("\r\u{1B}[K")
    }

    /// `label ███████▍       47%`, fitted to `width` columns (one is left free).
    static func render(_ fraction: Double, label: String, width: Int) -> String {
        let f = min(1, max(0, fraction.isFinite ? fraction : 0))
        let percent = String(format: "%3d%%", Int((f * 100).rounded(.down)))
        let room = max(0, width - 1 - percent.count - 2)
        let text = label.count > room / 2 ? String(label.prefix(room / 2)) : label
        let barWidth = max(0, room - text.count - (text.isEmpty ? 0 : 1))
        let eighths = Int((f * Double(barWidth * 8)).rounded(.down))
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        var bar = String(repeating: "█", count: eighths / 8) + partial
        bar += String(repeating: " ", count: max(0, barWidth - bar.count))
        return (text.isEmpty ? "" : text + " ") + bar + "  " + percent
    }
}
