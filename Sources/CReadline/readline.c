#include "CReadline.h"
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* Debian's libreadline8 (the runtime half of libreadline-dev). */
#define SONAME "libreadline.so.8"

static int loaded = 0;
static char error_text[512];

/* Functions. */
static void (*p_callback_handler_install)(const char *, rlshim_line_func *);
static void (*p_callback_handler_remove)(void);
static void (*p_callback_read_char)(void);
static void (*p_callback_sigcleanup)(void);
static void (*p_cleanup_after_signal)(void);
static void (*p_reset_after_signal)(void);
static void (*p_resize_terminal)(void);
static int (*p_forced_update_display)(void);
static void (*p_redisplay)(void);
static void (*p_free_line_state)(void);
static int (*p_end_of_line)(int, int);
static int (*p_crlf)(void);
static char **(*p_completion_matches)(const char *, rlshim_entry_func *);
static void (*p_display_match_list)(char **, int, int);
static void (*p_using_history)(void);
static void (*p_add_history)(const char *);
static void (*p_stifle_history)(int);

/* Variables. */
static const char **v_readline_name;
static int *v_catch_signals, *v_catch_sigwinch, *v_change_environment;
static const char **v_completer_quote_characters, **v_basic_quote_characters;
static rlshim_completion_func **v_attempted_completion_function;
static int *v_attempted_completion_over;
static rlshim_word_break_func **v_completion_word_break_hook;
static const char **v_completer_word_break_characters;
static int *v_completion_append_character, *v_completion_suppress_append;
static rlshim_display_func **v_completion_display_matches_hook;
static char **v_line_buffer;
static int *v_point;

static int find(void *handle, const char *name, void **out) {
    *out = dlsym(handle, name);
    if (*out) return 1;
    snprintf(error_text, sizeof error_text, SONAME " has no symbol %s; GNU readline 8 is required", name);
    return 0;
}

#define FIND(ptr, name) if (!find(handle, name, (void **)&(ptr))) return -1

int rlshim_load(void) {
    if (loaded) return 0;
    void *handle = dlopen(SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *why = dlerror();
        snprintf(error_text, sizeof error_text, "the REPL needs GNU readline (" SONAME ", Debian package libreadline8): %s",
                 why ? why : "not found");
        return -1;
    }
    FIND(p_callback_handler_install, "rl_callback_handler_install");
    FIND(p_callback_handler_remove, "rl_callback_handler_remove");
    FIND(p_callback_read_char, "rl_callback_read_char");
    FIND(p_callback_sigcleanup, "rl_callback_sigcleanup");
    FIND(p_cleanup_after_signal, "rl_cleanup_after_signal");
    FIND(p_reset_after_signal, "rl_reset_after_signal");
    FIND(p_resize_terminal, "rl_resize_terminal");
    FIND(p_forced_update_display, "rl_forced_update_display");
    FIND(p_redisplay, "rl_redisplay");
    FIND(p_free_line_state, "rl_free_line_state");
    FIND(p_end_of_line, "rl_end_of_line");
    FIND(p_crlf, "rl_crlf");
    FIND(p_completion_matches, "rl_completion_matches");
    FIND(p_display_match_list, "rl_display_match_list");
    FIND(p_using_history, "using_history");
    FIND(p_add_history, "add_history");
    FIND(p_stifle_history, "stifle_history");
    FIND(v_readline_name, "rl_readline_name");
    FIND(v_catch_signals, "rl_catch_signals");
    FIND(v_catch_sigwinch, "rl_catch_sigwinch");
    FIND(v_change_environment, "rl_change_environment");
    FIND(v_completer_quote_characters, "rl_completer_quote_characters");
    FIND(v_basic_quote_characters, "rl_basic_quote_characters");
    FIND(v_attempted_completion_function, "rl_attempted_completion_function");
    FIND(v_attempted_completion_over, "rl_attempted_completion_over");
    FIND(v_completion_word_break_hook, "rl_completion_word_break_hook");
    FIND(v_completer_word_break_characters, "rl_completer_word_break_characters");
    FIND(v_completion_append_character, "rl_completion_append_character");
    FIND(v_completion_suppress_append, "rl_completion_suppress_append");
    FIND(v_completion_display_matches_hook, "rl_completion_display_matches_hook");
    FIND(v_line_buffer, "rl_line_buffer");
    FIND(v_point, "rl_point");
    loaded = 1;
    return 0;
}

const char *rlshim_error(void) { return error_text; }

void rlshim_configure(const char *name) {
    *v_readline_name = name;
    *v_catch_signals = 0;
    *v_catch_sigwinch = 0;
    *v_change_environment = 0;
    *v_completer_quote_characters = NULL;
    *v_basic_quote_characters = "";
}

void rlshim_set_completer(rlshim_completion_func *f) { *v_attempted_completion_function = f; }
void rlshim_set_completion_over(int v) { *v_attempted_completion_over = v; }
void rlshim_set_word_break_hook(rlshim_word_break_func *f) { *v_completion_word_break_hook = f; }
void rlshim_set_word_break_characters(const char *s) { *v_completer_word_break_characters = s; }
void rlshim_set_completion_append_character(int c) { *v_completion_append_character = c; }
void rlshim_set_completion_suppress_append(int v) { *v_completion_suppress_append = v; }
void rlshim_set_display_matches_hook(rlshim_display_func *f) { *v_completion_display_matches_hook = f; }
char **rlshim_completion_matches(const char *text, rlshim_entry_func *f) { return p_completion_matches(text, f); }
void rlshim_display_match_list(char **matches, int count, int longest) { p_display_match_list(matches, count, longest); }

const char *rlshim_line_buffer(void) { return *v_line_buffer; }
int rlshim_point(void) { return *v_point; }

void rlshim_callback_handler_install(const char *prompt, rlshim_line_func *f) { p_callback_handler_install(prompt, f); }
void rlshim_callback_handler_remove(void) { p_callback_handler_remove(); }
void rlshim_callback_read_char(void) { p_callback_read_char(); }
void rlshim_callback_sigcleanup(void) { p_callback_sigcleanup(); }
void rlshim_cleanup_after_signal(void) { p_cleanup_after_signal(); }
void rlshim_reset_after_signal(void) { p_reset_after_signal(); }
void rlshim_resize_terminal(void) { p_resize_terminal(); }
void rlshim_forced_update_display(void) { (void)p_forced_update_display(); }
void rlshim_redisplay(void) { p_redisplay(); }
void rlshim_free_line_state(void) { p_free_line_state(); }
void rlshim_end_of_line(void) { (void)p_end_of_line(1, 0); }
void rlshim_crlf(void) { (void)p_crlf(); }

void rlshim_using_history(void) { p_using_history(); }
void rlshim_add_history(const char *line) { p_add_history(line); }
void rlshim_stifle(int n) { p_stifle_history(n); }
