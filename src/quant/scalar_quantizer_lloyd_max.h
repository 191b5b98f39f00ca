// Lloyd-Max quantization of one dimension: the reconstruction levels that (locally)
// minimize the squared error of coding each value by its nearest level, i.e. 1-D
// k-means. The non-uniform scalar quantizers (SQ8nu, SQ4nu) learn one such set of
// levels per dimension.
//
// In one dimension Lloyd's iteration can be run exactly and cheaply on sorted data: a
// cell is a run of the sorted values between two midpoints, so with prefix sums over the
// distinct values each iteration costs O(levels x log(distinct values)), whatever the
// number of training values.

#ifndef VQSEARCH_QUANT_SCALAR_QUANTIZER_LLOYD_MAX_H_
#define VQSEARCH_QUANT_SCALAR_QUANTIZER_LLOYD_MAX_H_

#include <cstdint>
#include <vector>

namespace vqsearch::internal {

// `count` ascending levels for the n >= 1 finite `values` (sorted in place).
// With at most `count` distinct values the levels are those values (padded with the
// largest), so every value is coded exactly. Otherwise Lloyd starts from `count` evenly
// spaced levels from the minimum to the maximum (the min/max uniform quantizer's), moves each
// level to the mean of its cell, re-seeds a level whose cell is empty by splitting the
// cell of largest squared error at its median, and stops when the error no longer falls.
// Each step lowers the error, so the result is never worse than the uniform levels.
std::vector<float> LloydMaxLevels(float* values, int64_t n, int count);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_QUANT_SCALAR_QUANTIZER_LLOYD_MAX_H_
