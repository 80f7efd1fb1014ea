/* The instruction set the MKL backend tables are chosen for (common/cpu.c). */
#ifndef ANNSCOPE_CPU_H
#define ANNSCOPE_CPU_H

enum as_isa { AS_ISA_BASELINE = 0, AS_ISA_AVX2 = 1, AS_ISA_AVX512 = 2 };

/* The best instruction set this CPU runs, lowered by ANNSCOPE_ISA=baseline|avx2|avx512 (never raised above
 * what the CPU has): tests use it to compare the variants, a user to rule one out. */
enum as_isa as_cpu_isa(void);
const char* as_isa_name(enum as_isa isa);

#endif
