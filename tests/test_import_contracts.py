"""The import-linter contracts in pyproject.toml hold, and would catch a broken layer.

`.ci/run` runs `lint-imports` too; running it here means a broken contract fails the
suite on a developer's machine as well. The second test copies the packages to a
scratch directory, adds one forbidden import, and checks that the contract meant to
catch it reports it broken: contracts that name a module wrongly, or that allow
indirect imports by mistake, would pass the first test and fail this one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("incident", "runbooks", "store", "tui")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the packages under `cwd` (first on the path, not an installed copy)."""
    assert LINT_IMPORTS.exists(), f"{LINT_IMPORTS} is missing: pip install -e '.[test]'"
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture(scope="module")
def scratch_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("layers")
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


VIOLATIONS = [
    ("incident/comms/due.py", "import sqlite3", "never touch the terminal, the database"),
    ("runbooks/model.py", "import incident.core.clock", "the domain on the plan"),
    (
        "incident/core/clock.py",
        "import incident.health.readings",
        "Inside incident: the application layer",
    ),
    (
        "incident/health/readings.py",
        "import incident.comms.due",
        "Inside incident: the application layer",
    ),
    ("store/outbox.py", "import rich", "The record never reaches for the faces"),
    ("tui/app/widgets/timeline.py", "import httpx", "httpx is imported by tui.net alone"),
    ("tui/app/widgets/timeline.py", "import tui.demo.shop", "Inside tui: the CLI launches"),
    ("tui/net/client.py", "import tui.app.plain", "Inside tui: the CLI launches"),
    ("tui/app/widgets/health.py", "import tui.app.modals.confirm", "Inside tui.app"),
    ("tui/cli/main.py", "import tui.app.app", "only through its launcher"),
    ("tui/app/screens/checking.py", "import incident.commands", "never the commands"),
    ("tui/cli/parser.py", "import tui.cli.main", "No import cycles"),
    ("tui/app/widgets/timeline.py", "import tui.app.screens.incident", "No import cycles"),
]


@pytest.mark.parametrize(("path", "line", "contract"), VIOLATIONS)
def test_a_forbidden_import_breaks_its_contract(scratch_copy, path, line, contract):
    target = scratch_copy / path
    original = target.read_text(encoding="utf-8")
    target.write_text(f"{original}\n{line}\n", encoding="utf-8")
    try:
        result = lint_imports(scratch_copy)
    finally:
        target.write_text(original, encoding="utf-8")
    assert result.returncode == 1, result.stdout + result.stderr
    # The report lists the contracts with KEPT or BROKEN (long names are wrapped).
    report = " ".join(result.stdout.split())
    broken = report.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout
