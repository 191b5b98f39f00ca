# ctest layering_check: the include paths of src/CMakeLists.txt keep each layer to the
# folders below it. For each layer, one header it may include must compile and one it may
# not must fail to be found. Arguments (-D): CXX, LAYERS_DIR (build/layers), INCLUDE_DIR.

set(cases
  # layer    allowed                       forbidden
  "util      util/status_macros.h          simd/dispatch.h"
  "simd      util/status_macros.h          linalg/gemm.h"
  "linalg    simd/vector_ops.h             search/top_k.h"
  "cluster   search/nearest_rows.h         quant/product_quantizer.h"
  "io        util/status_macros.h          quant/product_quantizer.h"
  "quant     io/index_file.h               index/ivf_index.h"
  "index     quant/product_quantizer.h     capi/guard.h"
  "datasets  io/file_path.h                index/flat_index.h")
foreach(case ${cases})
  separate_arguments(fields UNIX_COMMAND "${case}")
  list(GET fields 0 layer)
  list(GET fields 1 allowed)
  list(GET fields 2 forbidden)
  foreach(header ${allowed} ${forbidden})
    file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/layering_${layer}.cc "#include \"${header}\"\n")
    execute_process(COMMAND ${CXX} -std=c++17 -fsyntax-only -I${LAYERS_DIR}/${layer}
                            -I${INCLUDE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/layering_${layer}.cc
                    RESULT_VARIABLE status ERROR_VARIABLE errors)
    if(header STREQUAL allowed AND NOT status EQUAL 0)
      message(FATAL_ERROR "layer ${layer} cannot include ${header}, which is below it:\n${errors}")
    endif()
    if(header STREQUAL forbidden AND (status EQUAL 0 OR NOT errors MATCHES "No such file"))
      message(FATAL_ERROR "layer ${layer} can include ${header}, which is not below it")
    endif()
  endforeach()
  message(STATUS "${layer}: ${allowed} compiles, ${forbidden} is not found")
endforeach()
