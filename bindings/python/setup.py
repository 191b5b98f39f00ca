"""Builds the _vqsearch extension with the project's CMake build, for pip.

The extension is the CMake target _vqsearch (bindings/python/CMakeLists.txt); this
file only points a CMake build at the running interpreter, builds that one target
and puts the module where setuptools packs it (the library is linked into it
statically, so the wheel needs only Debian's runtime libraries). Metadata is in
pyproject.toml; the version is the CMake project version.

Environment: VQSEARCH_SOURCE_DIR, the vqsearch source tree (default: two levels up,
for a build from bindings/python; scripts/build_wheel.sh builds from a copy);
VQSEARCH_BUILD_DIR, an existing CMake build to reuse (default: a fresh one in
setuptools' temporary folder).
"""

import os
import pathlib
import re
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(os.environ.get("VQSEARCH_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))


def cmake_version():
    text = (ROOT / "CMakeLists.txt").read_text()
    return re.search(r"project\(vqsearch VERSION ([0-9.]+)", text).group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.environ.get("VQSEARCH_BUILD_DIR")
        if build_dir:
            build_dir = pathlib.Path(build_dir).resolve()
        else:
            build_dir = pathlib.Path(self.build_temp).resolve() / "cmake"
            subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                            "-DVQSEARCH_BUILD_TESTS=OFF", "-DVQSEARCH_BUILD_BENCHMARKS=OFF",
                            f"-DPython3_EXECUTABLE={sys.executable}"], check=True)
        jobs = str(os.cpu_count() or 1)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_vqsearch", "-j", jobs],
                       check=True)
        built = next((build_dir / "python" / "vqsearch").glob("_vqsearch*.so"))
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        self.copy_file(str(built), str(target))


setup(version=cmake_version(), ext_modules=[Extension("vqsearch._vqsearch", sources=[])],
      cmdclass={"build_ext": CMakeBuild})
