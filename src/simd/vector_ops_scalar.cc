// The vector ops compiled for the x86-64 baseline (or any other CPU); see vector_ops.h.

#include "simd/vector_ops.h"
#include "simd/vector_ops_kernels.h"

namespace vqsearch::internal {

// The loops themselves: the baseline needs no target attribute.
const VectorOpsKernels kVectorOpsScalar = {
    SquaredNormLoop,     SquaredL2Loop,      DotLoop,        SubtractAndSquaredNormLoop,
    SquaredL2DoubleLoop, DotDoubleLoop,      AccumulateLoop, AccumulateDoubleLoop,
    AllFiniteLoop,       MinWithOffsetsLoop, AddScaledLoop,  WeightedRowSumLoop,
    NearestByDirectProductsLoop};

}  // namespace vqsearch::internal
