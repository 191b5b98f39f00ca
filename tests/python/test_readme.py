"""The README's Python example runs as written and prints what its comments say."""

import os
import subprocess
import sys

import vqsearch
from conftest import readme_python_example


def test_readme_python_example(tmp_path):
    example, promised = readme_python_example()
    assert len(example.strip().splitlines()) <= 12
    # The example imports the vqsearch package under test, wherever PYTHONPATH found it.
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(vqsearch.__file__)))
    env = dict(os.environ, PYTHONPATH=package_root)
    result = subprocess.run([sys.executable, "-c", example], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert promised and result.stdout.splitlines() == promised
