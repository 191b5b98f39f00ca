// SquareSvd over LAPACK's sgesvd; see svd.h.

#include "linalg/svd.h"

#include <vector>

#include "absl/strings/str_cat.h"

extern "C" void sgesvd_(const char* jobu, const char* jobvt, const int* m, const int* n,
                        float* a, const int* lda, float* s, float* u, const int* ldu, float* vt,
                        const int* ldvt, float* work, const int* lwork, int* info);

namespace vqsearch::internal {

absl::Status SquareSvd(int n, const float* a, float* u, float* s, float* vt) {
  // LAPACK is column-major: it sees the transpose of the row-major `a`, a^T = U' S V'^T,
  // so a = V'^T S U'^T. Read row-major, LAPACK's V'^T buffer is a's u and its U' buffer
  // is a's vt: passing them swapped yields a's factors directly.
  std::vector<float> copy(a, a + static_cast<size_t>(n) * n);
  const char all = 'A';
  int info = 0, query = -1;
  float optimal = 0;
  sgesvd_(&all, &all, &n, &n, copy.data(), &n, s, vt, &n, u, &n, &optimal, &query, &info);
  if (info != 0) return absl::InternalError(absl::StrCat("sgesvd workspace query failed: ", info));
  const int lwork = static_cast<int>(optimal);
  std::vector<float> work(lwork);
  sgesvd_(&all, &all, &n, &n, copy.data(), &n, s, vt, &n, u, &n, work.data(), &lwork, &info);
  if (info != 0) {
    return absl::InternalError(absl::StrCat("the SVD did not converge (sgesvd info ", info, ")"));
  }
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
