/* GNU readline for Swift. readline.h uses FILE without including stdio.h, and
   Swift 6 mode rejects touching readline's mutable C globals, so they are set here. */
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

static inline void rlshim_set_completer(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void rlshim_set_completion_over(int v) { rl_attempted_completion_over = v; }
