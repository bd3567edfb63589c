/* C's own number printing for LTNumberText. Swift can only reach vsnprintf through
   withVaList, whose first use in a process does a protocol-conformance scan over the
   whole binary (0.2 ms); a fixed-signature wrapper needs none. */
#ifndef CNUMBERFORMAT_H
#define CNUMBERFORMAT_H
#include <stddef.h>

/* snprintf(buffer, size, "%.*f", precision, x): the length it needed, or < 0. */
int lt_format_fixed(char *buffer, size_t size, int precision, double x);
/* snprintf(buffer, size, "%.*e", precision, x). */
int lt_format_scientific(char *buffer, size_t size, int precision, double x);

#endif
