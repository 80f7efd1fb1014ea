/* MKL loads its CPU-specific kernels (libmkl_def.so, libmkl_avx512.so, ...) with dlopen at the first call,
 * and those kernels resolve symbols of the MKL libraries this library links. A host that loads
 * libannscope with RTLD_LOCAL — .NET's NativeLibrary does — hides those symbols and MKL aborts
 * ("Cannot load libmkl_def.so"). At load time, before any MKL call, promote the already-loaded MKL
 * libraries to global scope. The threading layer needs no run-time choice: mkl_sequential is linked. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <mkl_service.h>

__attribute__((constructor)) static void as_promote_mkl(void)
{
    static const char* const libraries[] = {"libmkl_core.so", "libmkl_sequential.so", "libmkl_intel_lp64.so"};
    for (unsigned i = 0; i < sizeof libraries / sizeof libraries[0]; i++) {
        /* RTLD_NOLOAD: only re-open what the dynamic linker already loaded for us; the handle is kept */
        (void)dlopen(libraries[i], RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
    }
    /* Without conditional numerical reproducibility MKL picks kernels by the alignment of each call's arrays,
     * which varies from run to run: a study's float64 results then differ in the last digits between an
     * interrupted-and-resumed run and an uninterrupted one. AUTO keeps the fastest kernels of this CPU, fixed.
     * A user's MKL_CBWR setting wins. */
    if (!getenv("MKL_CBWR")) (void)mkl_cbwr_set(MKL_CBWR_AUTO);
}
