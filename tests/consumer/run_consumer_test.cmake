# ctest install_consumer_test: installs the build tree into a scratch prefix, then builds
# tests/consumer against it twice, with find_package(vqsearch) and with pkg-config, and
# runs both programs. Arguments (-D): BUILD_DIR, SOURCE_DIR, WORK_DIR, LIBDIR, CXX, LAUNCHER.

include(${CMAKE_CURRENT_LIST_DIR}/../run_step.cmake)

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
run("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

# find_package(vqsearch), as the README shows.
run("configure the consumer" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/cmake
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}
    -DCMAKE_BUILD_TYPE=Release)
run("build the consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake)
run("run the consumer" ${WORK_DIR}/cmake/consumer ${WORK_DIR})

# pkg-config.
find_program(PKG_CONFIG pkg-config REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${prefix}/${LIBDIR}/pkgconfig)
run("pkg-config vqsearch" ${PKG_CONFIG} --cflags --libs vqsearch)
string(STRIP "${run_output}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run("compile with pkg-config" ${CXX} -std=c++17 -O1 ${SOURCE_DIR}/tests/consumer/consumer.cc
    -o ${WORK_DIR}/consumer_pkgconfig ${flags})
run("run the pkg-config consumer" ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${prefix}/${LIBDIR}
    ${WORK_DIR}/consumer_pkgconfig ${WORK_DIR})
