/* OpenCL drivers built on LLVM (PoCL among them) replace the process's signal handlers when they start:
 * LLVM's crash reporter takes SIGSEGV, SIGILL, SIGBUS, SIGINT, SIGTERM, ... and PoCL SIGFPE. A host runtime
 * that relies on its own handlers then breaks: .NET turns SIGSEGV and SIGFPE into NullReferenceException and
 * DivideByZeroException, and SIGINT into Ctrl-C cancellation; with the driver's handlers those become a
 * process crash ("Illegal instruction"). The host saves the handlers before the OpenCL call that starts a
 * driver and puts back any that changed right after. */
#define _DEFAULT_SOURCE /* NSIG, struct sigaction under -std=c11 */
#include "internal.h"

#ifndef _WIN32
#include <signal.h>

static struct sigaction saved[NSIG];
static unsigned char have[NSIG];

static void* handler_of(const struct sigaction* a)
{
    return (a->sa_flags & SA_SIGINFO) ? (void*)a->sa_sigaction : (void*)a->sa_handler;
}

ANNSCOPE_API int annscope_signals_save(void)
{
    for (int s = 1; s < NSIG; s++)
        have[s] = s != SIGKILL && s != SIGSTOP && sigaction(s, NULL, &saved[s]) == 0; /* libc-reserved ones fail */
    return as_ok();
}

ANNSCOPE_API int annscope_signals_restore(int32_t* restored)
{
    int32_t count = 0;
    for (int s = 1; s < NSIG; s++) {
        struct sigaction now;
        if (!have[s] || sigaction(s, NULL, &now) != 0) continue;
        if (handler_of(&now) == handler_of(&saved[s]) && now.sa_flags == saved[s].sa_flags) continue;
        if (sigaction(s, &saved[s], NULL) == 0) count++;
    }
    if (restored) *restored = count;
    return as_ok();
}
#else
ANNSCOPE_API int annscope_signals_save(void) { return as_ok(); }

ANNSCOPE_API int annscope_signals_restore(int32_t* restored)
{
    if (restored) *restored = 0;
    return as_ok();
}
#endif
