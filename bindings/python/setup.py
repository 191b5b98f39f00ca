"""Builds the _vqsearch extension with the project's CMake build, for pip.

The extension is the CMake target _vqsearch (bindings/python/CMakeLists.txt); this
file only configures a CMake build for the running interpreter, builds that one target
and puts the module where setuptools packs it. Metadata is in pyproject.toml.
"""

import os
import pathlib
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parents[2]


class CMakeBuild(build_ext):
    def build_extension(self, ext):
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


setup(ext_modules=[Extension("vqsearch._vqsearch", sources=[])], cmdclass={"build_ext": CMakeBuild})
