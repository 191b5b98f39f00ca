# ctest python_without_hdf5_test (issue 17: the Python module must build where there is
# no libhdf5). Configures a second, minimal build of the library and the Python module
# with VQSEARCH_WITH_HDF5=OFF and HDF5 made unfindable, builds only the module, and
# imports it: an index must work, libhdf5 must not be loaded, and read_ann_hdf5 must
# raise NotImplementedError naming the option. Arguments (-D): SOURCE_DIR, WORK_DIR,
# PYTHON, CXX, C, LAUNCHER.

include(${CMAKE_CURRENT_LIST_DIR}/../run_step.cmake)

run("configure without HDF5" ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_C_COMPILER=${C}
    -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER} -DCMAKE_C_COMPILER_LAUNCHER=${LAUNCHER}
    -DVQSEARCH_WITH_HDF5=OFF -DCMAKE_DISABLE_FIND_PACKAGE_HDF5=ON
    -DVQSEARCH_BUILD_TESTS=OFF -DVQSEARCH_BUILD_BENCHMARKS=OFF -DVQSEARCH_BUILD_PYTHON=ON)
run("build the Python module" ${CMAKE_COMMAND} --build ${WORK_DIR} --target vqsearch_python --parallel 2)
run("import it" ${CMAKE_COMMAND} -E env PYTHONPATH=${WORK_DIR}/python PYTHONDONTWRITEBYTECODE=1
    ${PYTHON} -c [[
import numpy as np
import vqsearch
x = np.random.default_rng(0).standard_normal((200, 8), dtype=np.float32)
index = vqsearch.Index("IVF4,Flat", 8)
index.train(x)
index.add(x)
distances, ids = index.search(x[:5], 1, nprobe=4)
assert (ids[:, 0] == np.arange(5)).all(), ids
assert "libhdf5" not in open("/proc/self/maps").read(), "libhdf5 is loaded"
try:
    vqsearch.read_ann_hdf5("any.hdf5")
except NotImplementedError as error:
    assert "VQSEARCH_WITH_HDF5" in str(error), error
else:
    raise AssertionError("read_ann_hdf5 did not raise")
print("imported", vqsearch.__version__, "without HDF5")
]])
