# Instrumented builds, for CI and for fuzzing; both are off in a normal build.
#
# VQSEARCH_SANITIZE=address,undefined compiles and links every target (library, tests,
# tools, the Python module) with those sanitizers, and makes every report fatal
# (-fno-sanitize-recover), so a test that triggers undefined behaviour fails instead of
# printing a line nobody reads.
#
# VQSEARCH_BUILD_FUZZERS (clang only) adds libFuzzer's coverage instrumentation to every
# target and builds the fuzz targets of tests/fuzz; use it together with the sanitizers.

set(VQSEARCH_SANITIZE "" CACHE STRING
    "Comma-separated -fsanitize= list for every target, e.g. address,undefined; empty: none")
option(VQSEARCH_BUILD_FUZZERS "Build the libFuzzer targets of tests/fuzz (needs clang)" OFF)

# The shared ASan runtime, which a host program without ASan (Debian's python3) must
# preload to load an instrumented module; empty when there is none.
set(VQS_ASAN_RUNTIME "")
if(VQSEARCH_SANITIZE MATCHES "address")
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    set(asan_library libclang_rt.asan-${CMAKE_SYSTEM_PROCESSOR}.so)
  else()
    set(asan_library libasan.so)
  endif()
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=${asan_library}
                  OUTPUT_VARIABLE VQS_ASAN_RUNTIME OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT EXISTS "${VQS_ASAN_RUNTIME}")
    message(FATAL_ERROR "no shared ASan runtime ${asan_library} for ${CMAKE_CXX_COMPILER}")
  endif()
  # clang links a static ASan runtime into executables by default, and a process that
  # has both (a test program started from the preloaded pytest) refuses to run; with
  # the shared one everywhere there is one runtime per process. gcc's default is shared.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    get_filename_component(asan_directory ${VQS_ASAN_RUNTIME} DIRECTORY)
    add_link_options(-shared-libasan LINKER:-rpath,${asan_directory})
  endif()
endif()

if(VQSEARCH_SANITIZE)
  add_compile_options(-fsanitize=${VQSEARCH_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${VQSEARCH_SANITIZE})
  # The instrumentation keeps clang from vectorizing `omp simd` loops, which it reports
  # as a warning per loop; expected in these builds, so not worth the noise.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    add_compile_options(-Wno-pass-failed)
  endif()
endif()

if(VQSEARCH_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "VQSEARCH_BUILD_FUZZERS needs clang (libFuzzer); configure with "
                        "-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
  add_link_options(-fsanitize=fuzzer-no-link)
endif()

