/* GNU readline for Swift. readline.h uses FILE without including stdio.h, and
   Swift 6 mode rejects touching readline's mutable C globals, so they are read and
   set here. The REPL uses the callback interface (rl_callback_read_char) so that it
   owns the poll loop and the signal handling; readline installs no handlers. */
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

static inline void rlshim_set_completer(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void rlshim_set_completion_over(int v) { rl_attempted_completion_over = v; }

/* Start-up: name for ~/.inputrc conditionals, no signal handlers, no LINES/COLUMNS.
   No quote characters: the completer finds strings itself and appends the closing
   quote only after a file name (readline would also close it after a directory). */
static inline void rlshim_configure(const char *name) {
    rl_readline_name = name;
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_completer_quote_characters = NULL;
    rl_basic_quote_characters = "";
}

/* Completion. */
static inline void rlshim_set_word_break_hook(rl_cpvfunc_t *f) { rl_completion_word_break_hook = f; }
static inline void rlshim_set_word_break_characters(const char *s) { rl_completer_word_break_characters = s; }
static inline void rlshim_set_completion_append_character(int c) { rl_completion_append_character = c; }
static inline void rlshim_set_completion_suppress_append(int v) { rl_completion_suppress_append = v; }
static inline void rlshim_set_filename_completion_desired(int v) { rl_filename_completion_desired = v; }
static inline void rlshim_set_sort_completion_matches(int v) { rl_sort_completion_matches = v; }
static inline void rlshim_set_display_matches_hook(rl_compdisp_func_t *f) { rl_completion_display_matches_hook = f; }

/* The line being edited (UTF-8 bytes) and the cursor's byte offset. */
static inline const char *rlshim_line_buffer(void) { return rl_line_buffer; }
static inline int rlshim_point(void) { return rl_point; }

/* History. */
static inline void rlshim_stifle(int n) { stifle_history(n); }
static inline int rlshim_history_length(void) { return history_length; }
