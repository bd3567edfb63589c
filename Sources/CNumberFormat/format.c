#include <stdio.h>
#include "CNumberFormat.h"

int lt_format_fixed(char *buffer, size_t size, int precision, double x) {
    return snprintf(buffer, size, "%.*f", precision, x);
}

int lt_format_scientific(char *buffer, size_t size, int precision, double x) {
    return snprintf(buffer, size, "%.*e", precision, x);
}
