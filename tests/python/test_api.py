"""The package's public surface: every name documented and listed in the .pyi stub."""

import inspect
import os
import re

import vqsearch


def public_names():
    for name in vqsearch.__all__:
        obj = getattr(vqsearch, name)
        yield name, obj
        if inspect.isclass(obj):
            for attribute, value in vars(obj).items():
                if not attribute.startswith("_"):
                    yield f"{name}.{attribute}", value


def test_every_public_name_has_a_docstring():
    undocumented = [name for name, obj in public_names() if not (obj.__doc__ or "").strip()]
    assert undocumented == []


def test_stub_declares_every_public_name():
    stub_path = os.path.join(os.path.dirname(vqsearch.__file__), "__init__.pyi")
    stub = open(stub_path, encoding="utf-8").read()
    declared = set(re.findall(r"^(?:class|def) (\w+)", stub, re.M))
    members = set(re.findall(r"^    (?:def )?(\w+)\b", stub, re.M))
    missing = [name for name, _ in public_names()
               if name.split(".")[-1] not in (declared if "." not in name else members)]
    assert missing == []


def test_package_docstring_example_runs():
    block = vqsearch.__doc__.split("::\n", 1)[1]
    lines = []
    for line in block.splitlines()[1:]:
        if line and not line.startswith("    "):
            break
        lines.append(line[4:])
    namespace = {}
    exec("\n".join(lines), namespace)
    assert namespace["ids"].shape == (5, 10)
    assert (namespace["ids"][:, 0] == range(5)).all()
