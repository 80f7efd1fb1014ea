#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef _WIN32
#include <malloc.h>
#endif

/* One message per thread: a call on one thread never clobbers the error another thread is reading. */
static _Thread_local char last_error[8192]; /* room for an OpenCL build log */

int as_fail(int status, const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, args);
    va_end(args);
    return status;
}

int as_ok(void)
{
    last_error[0] = '\0';
    return ANNSCOPE_OK;
}

ANNSCOPE_API const char* annscope_last_error(void) { return last_error; }

ANNSCOPE_API int annscope_abi_version(void) { return ANNSCOPE_ABI_VERSION; }

void* as_alloc(size_t bytes)
{
    if (bytes == 0) bytes = 64;
    size_t rounded = (bytes + 63) / 64 * 64;
#ifdef _WIN32
    return _aligned_malloc(rounded, 64); /* MSVC has no C11 aligned_alloc */
#else
    return aligned_alloc(64, rounded);
#endif
}

void as_free(void* p)
{
#ifdef _WIN32
    _aligned_free(p);
#else
    free(p);
#endif
}
