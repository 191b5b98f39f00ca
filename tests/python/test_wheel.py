"""The wheel: built offline by scripts/build_wheel.sh from Debian's pip, setuptools and
wheel, installed into a fresh `python3 -m venv --system-site-packages` (numpy from
Debian), where the README's Python example runs from the installed package and
vqsearch.__version__ is the CMake project version."""

import importlib.util
import os
import pathlib
import re
import subprocess
import sys

import pytest

from conftest import readme_python_example

SOURCE_DIR = pathlib.Path(os.environ.get("VQS_SOURCE_DIR", pathlib.Path(__file__).parents[2]))
BUILD_DIR = os.environ.get("VQS_BUILD_DIR")


def missing_tools():
    missing = [name for name in ("venv", "pip", "setuptools", "wheel")
               if importlib.util.find_spec(name) is None]
    if subprocess.run([sys.executable, "-m", "ensurepip", "--version"],
                      capture_output=True).returncode != 0:
        missing.append("ensurepip (python3-venv)")
    return missing


@pytest.mark.skipif(bool(missing_tools()), reason=f"missing Python packaging tools: {missing_tools()}")
@pytest.mark.skipif(not BUILD_DIR, reason="VQS_BUILD_DIR (the CMake build to pack) is not set")
def test_wheel_installs_into_a_venv_where_the_readme_example_runs(tmp_path):
    subprocess.run(["bash", str(SOURCE_DIR / "scripts" / "build_wheel.sh"), str(tmp_path / "dist")],
                   check=True, capture_output=True, env=dict(os.environ, BUILD_DIR=BUILD_DIR),
                   timeout=1200)
    wheels = list((tmp_path / "dist").glob("vqsearch-*.whl"))
    assert len(wheels) == 1, wheels
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True,
                   timeout=300)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--no-index", "--no-deps", "--quiet",
                    str(wheels[0])], check=True, timeout=300)

    # Nothing from the build tree: no PYTHONPATH, a working folder outside the sources.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    example, promised = readme_python_example()
    result = subprocess.run([str(python), "-c", example], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == promised

    check = ("import vqsearch, vqsearch.faiss as faiss; "
             "print(vqsearch.__version__); print(vqsearch.__file__); print(faiss.IndexFlatL2(4).d)")
    lines = subprocess.run([str(python), "-c", check], cwd=tmp_path, env=env, check=True,
                           capture_output=True, text=True, timeout=300).stdout.splitlines()
    cmake_version = re.search(r"project\(vqsearch VERSION ([0-9.]+)",
                              (SOURCE_DIR / "CMakeLists.txt").read_text()).group(1)
    assert lines[0] == cmake_version
    assert pathlib.Path(lines[1]).is_relative_to(venv)
    assert lines[2] == "4"


def test_version_is_the_cmake_project_version():
    import vqsearch
    cmake_version = re.search(r"project\(vqsearch VERSION ([0-9.]+)",
                              (SOURCE_DIR / "CMakeLists.txt").read_text()).group(1)
    assert vqsearch.__version__ == cmake_version
