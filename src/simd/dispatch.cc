// CPU detection and the choice of ISA; see dispatch.h.

#include "simd/dispatch.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#if VQS_X86_KERNELS
#include <cpuid.h>
#endif

namespace vqsearch {
namespace internal {
namespace {

#if VQS_X86_KERNELS
// Read with cpuid and xgetbv directly rather than __builtin_cpu_supports, whose list of
// feature names differs between compilers (Clang 14 has no "f16c").
Isa DetectFromCpuid() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return Isa::kScalar;
  const bool fma = (ecx >> 12) & 1, osxsave = (ecx >> 27) & 1, avx = (ecx >> 28) & 1,
             f16c = (ecx >> 29) & 1;
  if (!(osxsave && avx && fma && f16c)) return Isa::kScalar;
  // The operating system must save the registers: XCR0 bits 1-2 (SSE, AVX state), and
  // 5-7 (opmask, ZMM) for AVX-512.
  uint32_t xcr0_low = 0, xcr0_high = 0;
  __asm__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
  if ((xcr0_low & 0x6) != 0x6) return Isa::kScalar;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return Isa::kScalar;
  const bool avx2 = (ebx >> 5) & 1, avx512f = (ebx >> 16) & 1, avx512bw = (ebx >> 30) & 1;
  if (!avx2) return Isa::kScalar;
  if (avx512f && avx512bw && (xcr0_low & 0xE0) == 0xE0) return Isa::kAvx512;
  return Isa::kAvx2;
}
#endif

}  // namespace

Isa DetectedIsa() {
#if VQS_X86_KERNELS
  static const Isa detected = DetectFromCpuid();
  return detected;
#else
  return Isa::kScalar;
#endif
}

std::vector<Isa> SupportedIsas() {
  std::vector<Isa> isas;
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    if (isa <= DetectedIsa()) isas.push_back(isa);
  }
  return isas;
}

std::optional<Isa> ParseIsa(std::string_view name) {
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    if (name == IsaName(isa)) return isa;
  }
  return std::nullopt;
}

Isa ResolveIsa(Isa detected, const char* forced, bool* unknown) {
  *unknown = false;
  if (forced == nullptr || *forced == '\0') return detected;
  const std::optional<Isa> parsed = ParseIsa(forced);
  if (!parsed.has_value()) {
    *unknown = true;
    return detected;
  }
  return *parsed < detected ? *parsed : detected;
}

}  // namespace internal

Isa ActiveIsa() {
  static const Isa active = [] {
    const char* forced = std::getenv("VQSEARCH_ISA");
    bool unknown = false;
    const Isa isa = internal::ResolveIsa(internal::DetectedIsa(), forced, &unknown);
    // Said once on stderr: a misspelt override would otherwise silently measure the
    // wrong kernels.
    if (unknown) {
      std::fprintf(stderr,
                   "vqsearch: ignoring VQSEARCH_ISA=\"%s\" (expected scalar, avx2 or avx512)\n",
                   forced);
    }
    return isa;
  }();
  return active;
}

std::string_view IsaName(Isa isa) {
  switch (isa) {
    case Isa::kScalar:
      return "scalar";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kAvx512:
      return "avx512";
  }
  return "unknown";
}

}  // namespace vqsearch
