"""The built wheel holds every package and data file of the source tree, and nothing else.

A hand-kept package list once shipped `tui` without `tui.app.screens`: every screen of an
installed copy crashed while every test (run on the checkout) passed. `.ci/run`
installs the wheel and opens each screen (tests/installed_smoke.py); this test
checks the wheel's contents on every run of the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile

import pytest

from tests.cli_helpers import ROOT

SKIPPED_PARTS = {"__pycache__"}


def shipped_packages() -> list[str]:
    """Top-level packages of the checkout; `tests` is the one that is not shipped."""
    return sorted(
        d.name for d in ROOT.iterdir() if (d / "__init__.py").is_file() and d.name != "tests"
    )


def source_files(package: str) -> set[str]:
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / package).rglob("*")
        if path.is_file() and not SKIPPED_PARTS & set(path.parts) and path.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """Built from a copy of the tree, so no build/ left in the checkout can leak in."""
    scratch = tmp_path_factory.mktemp("wheel")
    source = scratch / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for package in [*shipped_packages(), "tests"]:
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(scratch), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (built,) = scratch.glob("lastgood-*.whl")
    return zipfile.ZipFile(built)


def test_the_checkout_has_the_four_packages() -> None:
    assert shipped_packages() == ["incident", "runbooks", "store", "tui"]


def test_every_module_and_data_file_is_in_the_wheel(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    expected = set().union(*(source_files(p) for p in shipped_packages()))
    assert {"tui/app/screens/incident.py", "tui/app/app.tcss", "runbooks/rollback.yaml"} <= expected
    assert sorted(expected - names) == []


def test_the_wheel_ships_nothing_else(wheel: zipfile.ZipFile) -> None:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        version = tomllib.load(handle)["project"]["version"]
    tops = {name.split("/")[0] for name in wheel.namelist()}
    assert tops == {*shipped_packages(), f"lastgood-{version}.dist-info"}
    entry_points = wheel.read(f"lastgood-{version}.dist-info/entry_points.txt").decode()
    assert "lastgood = tui.cli.entry:run" in entry_points
