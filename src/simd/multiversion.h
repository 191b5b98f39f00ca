// VQS_MULTIVERSION marks a function to be compiled twice, for the x86-64 baseline and for
// x86-64-v3 (AVX2, FMA, BMI2: Haswell, Zen and later); the dynamic loader picks the
// clone the CPU can run (GCC target_clones, an ifunc resolved once by CPU features).
// Elsewhere it compiles the function once.
//
// Not "arch=haswell": GCC dispatches that clone on the CPU model being Haswell, so every
// AMD and every later Intel core would run the baseline.

#ifndef VQSEARCH_SIMD_MULTIVERSION_H_
#define VQSEARCH_SIMD_MULTIVERSION_H_

#if defined(__x86_64__) && defined(__GNUC__)
#define VQS_MULTIVERSION __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define VQS_MULTIVERSION
#endif

#endif  // VQSEARCH_SIMD_MULTIVERSION_H_
