"""The domain stays free of the terminal and the database.

Importing every module of `incident` and `runbooks` in a fresh interpreter must not
pull in Textual, Rich or sqlite3, directly or through a dependency.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("textual", "rich", "sqlite3", "_sqlite3", "sqlite_utils")


def domain_modules() -> list[str]:
    names = []
    for package in ("incident", "runbooks"):
        names.append(package)
        for info in pkgutil.iter_modules([str(ROOT / package)]):
            names.append(f"{package}.{info.name}")
    return names


def test_there_is_a_domain_to_check():
    assert {"incident.state", "incident.commands", "runbooks.model"} <= set(domain_modules())


@pytest.mark.parametrize("forbidden", FORBIDDEN)
def test_domain_never_imports(forbidden):
    script = (
        "import importlib, json, sys\n"
        f"for name in {domain_modules()!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = json.loads(result.stdout)
    offenders = [m for m in loaded if m == forbidden or m.startswith(forbidden + ".")]
    assert offenders == []
