import CReadline
import Foundation

/// Line editing with GNU readline: Emacs keys, history (Up, C-r), completion, bracketed
/// paste. Uses readline's callback interface, so this reader owns the wait: it polls
/// stdin and the signal pipe, and a Ctrl-C at the prompt discards the line instead of
/// killing the process. Readline installs no signal handlers (`REPLSignals` does).
///
/// Readline's callbacks are C functions and cannot capture, so the state they share
/// with this reader lives in file-private globals; there is one reader per process.
final class ReadlineReader: LineReader {
    private let history: HistoryFile?
    private var last: String?
    private var historyLoaded = false

    var completer: Completer? {
        get { activeCompleter }
        set { activeCompleter = newValue }
    }

    init(history: HistoryFile?) {
        self.history = history
        rlshim_configure(readlineName)
        rlshim_set_completer(attemptCompletion)
        rlshim_set_word_break_hook(wordBreakHook)
        rlshim_set_word_break_characters(wordBreaksOutside)
        rlshim_set_display_matches_hook(displayMatches)
        rlshim_using_history()
        if let history { rlshim_stifle(Int32(history.limit)) }
    }

    /// Reads the history file into readline, once. Called just after the first prompt is
    /// drawn, so a long history does not delay it; a key typed meanwhile waits in the
    /// terminal and is handled right after.
    private func loadHistory() {
        guard !historyLoaded else { return }
        historyLoaded = true
        guard let history else { return }
        let entries = history.load()
        for entry in entries { rlshim_add_history(entry) }
        if last == nil { last = entries.last }
    }

    func read(prompt: String) -> LineInput {
        Terminal.flush()
        _ = REPLSignals.drain()
        completedLine = nil
        rlshim_callback_handler_install(prompt, lineHandler)
        REPLSignals.atPrompt.store(true, ordering: .relaxed)
        defer { REPLSignals.atPrompt.store(false, ordering: .relaxed) }
        loadHistory()
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: REPLSignals.wakeFD, events: Int16(POLLIN), revents: 0)]
        while completedLine == nil {
            if poll(&fds, 2, -1) < 0 {
                if errno == EINTR { continue }
                rlshim_callback_handler_remove()
                return .end
            }
            if fds[1].revents & Int16(POLLIN) != 0 {
                let signals = REPLSignals.drain()
                if signals.resized { rlshim_resize_terminal() }
                if signals.terminated {
                    rlshim_callback_handler_remove()
                    return .end
                }
                if signals.suspended {
                    rlshim_cleanup_after_signal()  // the terminal as the shell expects it
                    REPLSignals.raiseDefault(SIGTSTP)
                    rlshim_reset_after_signal()  // back after `fg`
                    rlshim_forced_update_display()
                }
                if signals.interrupted {
                    cancelLine()
                    return .interrupted
                }
            }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { rlshim_callback_read_char() }
        }
        if completedLine == .end { Terminal.write("\n") }  // Ctrl-D: end the prompt's line
        return completedLine ?? .end
    }

    /// Adds an entry to readline's history and appends it to the file, unless it repeats
    /// the previous entry.
    func remember(_ entry: String) {
        loadHistory()
        let trimmed = entry.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed != last else { return }
        last = trimmed
        rlshim_add_history(trimmed)
        history?.append(trimmed)
    }

    /// Ctrl-C at the prompt: show `^C` after the text, drop the line and its undo state,
    /// and give the terminal back; the next `read` starts a fresh line.
    private func cancelLine() {
        rlshim_end_of_line()
        rlshim_redisplay()
        rlshim_free_line_state()
        rlshim_callback_sigcleanup()
        rlshim_callback_handler_remove()
        rlshim_using_history()
        Terminal.write("^C\n")
        Terminal.flush()
    }
}

// MARK: - Readline callbacks

nonisolated(unsafe) private var completedLine: LineInput?
nonisolated(unsafe) private var activeCompleter: Completer?
nonisolated(unsafe) private var completionCandidates: [String] = []
nonisolated(unsafe) private var completionIndex = 0
nonisolated(unsafe) private var completionNotes: [String: String] = [:]
nonisolated(unsafe) private let readlineName = UnsafePointer(strdup("ltnb")!)
nonisolated(unsafe) private let wordBreaksOutside = UnsafePointer(strdup(Completer.wordBreaks)!)
nonisolated(unsafe) private let wordBreaksInString = strdup(Completer.stringBreaks)!

/// Called once per finished line (nil on Ctrl-D). Removing the handler here stops
/// readline from printing the next prompt before the entry has run.
private let lineHandler: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { line in
    if let line {
        completedLine = .line(String(cString: line))
        free(line)
    } else {
        completedLine = .end
    }
    rlshim_callback_handler_remove()
}

private func currentLine() -> (text: String, cursor: Int) {
    guard let buffer = rlshim_line_buffer() else { return ("", 0) }
    return (String(cString: buffer), Int(rlshim_point()))
}

private let wordBreakHook: @convention(c) () -> UnsafeMutablePointer<CChar>? = {
    let (text, cursor) = currentLine()
    if Completer.breakCharacters(text, cursor: cursor) == Completer.stringBreaks { return wordBreaksInString }
    return UnsafeMutablePointer(mutating: wordBreaksOutside)
}

private let attemptCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, start, _ in
    rlshim_set_completion_over(1)  // never fall back to readline's filename completion
    guard let completer = activeCompleter else { return nil }
    let (line, cursor) = currentLine()
    let completion = completer.complete(line, cursor: cursor)
    // Readline replaces the text from its own word start; shift our candidates onto it.
    let bytes = Array(line.utf8)
    let ours = min(completion.start, bytes.count), theirs = min(Int(start), bytes.count)
    var shifted: [(String, String)] = completion.candidates.map { ($0, $0) }  // (for readline, ours)
    if ours < theirs {
        let extra = Array(bytes[ours..<theirs])
        shifted = shifted.compactMap { c, original in
            let u = Array(c.utf8)
            return u.starts(with: extra) ? (String(decoding: u[extra.count...], as: UTF8.self), original) : nil
        }
    } else if ours > theirs {
        let extra = String(decoding: bytes[theirs..<ours], as: UTF8.self)
        shifted = shifted.map { (extra + $0, $1) }
    }
    let candidates = shifted.map(\.0)
    completionNotes = [:]
    for (c, original) in shifted { completionNotes[c] = completion.notes[original] }
    guard !candidates.isEmpty else { return nil }
    if candidates.count == 1, let first = completion.suffix.utf8.first {
        rlshim_set_completion_append_character(Int32(first))
    } else {
        rlshim_set_completion_suppress_append(1)
    }
    completionCandidates = candidates
    return rlshim_completion_matches(text, candidateGenerator)
}

private let candidateGenerator: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, state in
    if state == 0 { completionIndex = 0 }
    guard completionIndex < completionCandidates.count else { return nil }
    completionIndex += 1
    return strdup(completionCandidates[completionIndex - 1])  // readline frees it
}

/// The list a second Tab shows: with notes (type and shape, signature, argument doc),
/// one candidate a line; many candidates, or none with notes, in readline's columns.
private let displayMatches: @convention(c) (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, Int32, Int32) -> Void = {
    matches, count, longest in
    guard let matches, count > 0 else { return }
    let names = (1...Int(count)).compactMap { matches[$0].map { String(cString: $0) } }
    let notes = names.map { completionNotes[$0] }
    if names.count > 30 || notes.allSatisfy({ $0 == nil }) {
        rlshim_crlf()
        rlshim_display_match_list(matches, count, longest)
    } else {
        let width = TerminalSize.columns
        let column = min(Int(longest), 24) + 2
        var text = "\n"
        for (name, note) in zip(names, notes) {
            var line = name.padding(toLength: max(column, name.count + 2), withPad: " ", startingAt: 0) + (note ?? "")
            if line.count >= width { line = String(line.prefix(max(0, width - 2))) + "…" }
            text += line + "\n"
        }
        Terminal.write(text)
        Terminal.flush()
    }
    rlshim_forced_update_display()
}
