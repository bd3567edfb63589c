/* GNU readline for the REPL, loaded with dlopen when the REPL starts rather than linked:
   linking maps libreadline and libtinfo into every ltnb process (0.15 ms of each start-up
   that only the REPL needs), as linking libzmq did for the kernel. The names are rlshim_*
   so that none of them interposes on readline's own (the binary exports its symbols).
   Readline's mutable globals are set and read here (Swift 6 mode rejects touching them).
   The REPL uses the callback interface (rl_callback_read_char) so that it owns the poll
   loop and the signal handling; readline installs no handlers. */
#ifndef CREADLINE_H
#define CREADLINE_H

/* Readline's callback types (readline.h), spelled out: no header is needed to build. */
typedef void rlshim_line_func(char *line);
typedef char **rlshim_completion_func(const char *text, int start, int end);
typedef char *rlshim_entry_func(const char *text, int state);
typedef void rlshim_display_func(char **matches, int count, int longest);
typedef char *rlshim_word_break_func(void);

/* Loads libreadline.so.8 and every function and variable below, once; 0 on success.
   On failure rlshim_error() says what is missing, and nothing else may be called. */
int rlshim_load(void);
const char *rlshim_error(void);

/* Start-up: name for ~/.inputrc conditionals, no signal handlers, no LINES/COLUMNS,
   no quote characters (the completer finds strings itself). */
void rlshim_configure(const char *name);

/* Completion. */
void rlshim_set_completer(rlshim_completion_func *f);
void rlshim_set_completion_over(int v);
void rlshim_set_word_break_hook(rlshim_word_break_func *f);
void rlshim_set_word_break_characters(const char *s);
void rlshim_set_completion_append_character(int c);
void rlshim_set_completion_suppress_append(int v);
void rlshim_set_display_matches_hook(rlshim_display_func *f);
char **rlshim_completion_matches(const char *text, rlshim_entry_func *f);
void rlshim_display_match_list(char **matches, int count, int longest);

/* The line being edited (UTF-8 bytes) and the cursor's byte offset. */
const char *rlshim_line_buffer(void);
int rlshim_point(void);

/* The callback interface and the terminal. */
void rlshim_callback_handler_install(const char *prompt, rlshim_line_func *f);
void rlshim_callback_handler_remove(void);
void rlshim_callback_read_char(void);
void rlshim_callback_sigcleanup(void);
void rlshim_cleanup_after_signal(void);
void rlshim_reset_after_signal(void);
void rlshim_resize_terminal(void);
void rlshim_forced_update_display(void);
void rlshim_redisplay(void);
void rlshim_free_line_state(void);
void rlshim_end_of_line(void);
void rlshim_crlf(void);

/* History. */
void rlshim_using_history(void);
void rlshim_add_history(const char *line);
void rlshim_stifle(int n);

#endif
