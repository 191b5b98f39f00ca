// VQS_MULTIVERSION marks a function to be compiled twice, for the x86-64 baseline and for
// AVX2 + FMA (Haswell and later); the dynamic loader picks the clone the CPU can run
// (GCC target_clones, an ifunc resolved once). Elsewhere it compiles the function once.

#ifndef VQSEARCH_SIMD_MULTIVERSION_H_
#define VQSEARCH_SIMD_MULTIVERSION_H_

#if defined(__x86_64__) && defined(__GNUC__)
#define VQS_MULTIVERSION __attribute__((target_clones("arch=haswell", "default")))
#else
#define VQS_MULTIVERSION
#endif

#endif  // VQSEARCH_SIMD_MULTIVERSION_H_
