#include "cpu.h"

#include <stdlib.h>
#include <string.h>

static enum as_isa detected(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512bw"))
        return AS_ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return AS_ISA_AVX2;
#endif
    return AS_ISA_BASELINE;
}

enum as_isa as_cpu_isa(void)
{
    enum as_isa isa = detected();
    const char* cap = getenv("ANNSCOPE_ISA");
    if (cap && strcmp(cap, "baseline") == 0) isa = AS_ISA_BASELINE;
    else if (cap && strcmp(cap, "avx2") == 0 && isa > AS_ISA_AVX2) isa = AS_ISA_AVX2;
    return isa;
}

const char* as_isa_name(enum as_isa isa)
{
    return isa == AS_ISA_AVX512 ? "avx512" : isa == AS_ISA_AVX2 ? "avx2" : "baseline";
}
