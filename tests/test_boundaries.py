"""The domain and the application layer stay free of the terminal, the database and
the network.

Importing every module of `incident` and `runbooks` in a fresh interpreter must not
pull in Textual, Rich, sqlite3, httpx or the faces, directly or through a
dependency. import-linter checks the same contracts statically in `.ci/run`; this
test checks what actually loads.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("textual", "rich", "sqlite3", "_sqlite3", "sqlite_utils", "httpx", "tui", "store")


def domain_modules() -> list[str]:
    names = []
    for package in ("incident", "runbooks"):
        names.append(package)
        for info in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            names.append(info.name)
    return names


def test_there_is_a_domain_to_check():
    expected = {
        "incident.core.state",
        "incident.commands.steps",
        "incident.app.session",
        "incident.reports.report",
        "runbooks.model",
    }
    assert expected <= set(domain_modules())


@pytest.fixture(scope="module")
def loaded() -> list[str]:
    script = (
        "import importlib, json, sys\n"
        f"for name in {domain_modules()!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    modules: list[str] = json.loads(result.stdout)
    return modules


@pytest.mark.parametrize("forbidden", FORBIDDEN)
def test_domain_never_imports(loaded, forbidden):
    offenders = [m for m in loaded if m == forbidden or m.startswith(forbidden + ".")]
    assert offenders == []
