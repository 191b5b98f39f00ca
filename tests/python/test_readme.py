"""The README's Python example runs as written and prints what its comments say."""

import os
import re
import subprocess
import sys

import vqsearch


def test_readme_python_example(tmp_path):
    readme = open(os.environ["VQS_README"], encoding="utf-8").read()
    example = re.search(r"## Python example\n\n```python\n(.*?)```", readme, re.S).group(1)
    assert len(example.strip().splitlines()) <= 12
    # The example imports the vqsearch package under test, wherever PYTHONPATH found it.
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(vqsearch.__file__)))
    env = dict(os.environ, PYTHONPATH=package_root)
    result = subprocess.run([sys.executable, "-c", example], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    promised = re.findall(r"# prints (.*)", example)
    assert promised and result.stdout.splitlines() == promised
