"""The README's Python example runs as written."""

import os
import re
import subprocess
import sys


def test_readme_python_example(tmp_path):
    readme = open(os.environ["VQS_README"], encoding="utf-8").read()
    section = readme[readme.index("## Python"):]
    example = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len(example.strip().splitlines()) <= 12
    result = subprocess.run([sys.executable, "-c", example], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
