"""Smoke test of an installed lastgood: the wheel as pipx or `uv tool install` puts it.

Run by `.ci/run` with the python of a fresh virtualenv that holds the built wheel
(not an editable install), from a directory outside the checkout and with `-I`,
so nothing can come from the source tree:

    VENV/bin/python -I CHECKOUT/tests/installed_smoke.py

It checks every module comes from that virtualenv, runs the installed
`lastgood --version`, `--help`, `declare` and `demo --headless`, and opens each app
headless (coordinator, attach, replay), waiting for its main screen. Exit 0, or
1 with one line saying what failed. Standard library and the installed package
only: it is not a pytest module.
"""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

MODULES = (
    "incident",
    "incident.core",
    "incident.app",
    "runbooks",
    "store",
    "tui",
    "tui.app.screens",
    "tui.app.modals",
    "tui.app.widgets",
    "tui.cli",
    "tui.net",
    "tui.demo",
)
DATA_FILES = {
    "tui": ["py.typed"],
    "tui.app": ["app.tcss"],
    "tui.cli": ["verb_summaries.txt"],
    "runbooks": ["rollback.yaml", "demo.yaml.in", "py.typed"],
    "incident": ["py.typed"],
    "store": ["py.typed"],
}
WAIT_S = 60.0


class SmokeFailure(Exception):
    """What failed, in one line."""


def check_installed_copy() -> None:
    prefix = Path(sys.prefix).resolve()
    for name in MODULES:
        module = importlib.import_module(name)
        path = Path(module.__file__ or "").resolve()
        if prefix not in path.parents:
            raise SmokeFailure(f"{name} was imported from {path}, not from {prefix}")
        for data in DATA_FILES.get(name, []):
            if not (path.parent / data).is_file():
                raise SmokeFailure(f"{name}/{data} is not installed beside {path}")
    examples = Path(importlib.import_module("runbooks").__file__ or "").parent / "examples"
    if len(list(examples.glob("*.md"))) < 2:
        raise SmokeFailure(f"the Markdown runbook examples are not installed in {examples}")


def lastgood(workdir: Path, *args: str) -> str:
    """The installed console script, run from `workdir`; its stdout."""
    script = Path(sys.executable).parent / "lastgood"
    done = subprocess.run(
        [str(script), "--db", str(workdir / "smoke.db"), *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(nothing on stderr)"])[-1]
        raise SmokeFailure(f"lastgood {' '.join(args)} exited {done.returncode}: {last}")
    return done.stdout


async def open_app(what: str, app: object, ready: Callable[[object], bool]) -> None:
    """Open `app` headless, wait until `ready(app)` holds (a condition, not a sleep), quit."""
    from textual.app import App

    assert isinstance(app, App)
    async with app.run_test(size=(120, 40)) as pilot:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_S
        while not ready(app):
            if loop.time() > deadline:
                raise SmokeFailure(f"{what}: main screen not shown after {WAIT_S:.0f} s")
            await pilot.pause(0.05)
        app.exit()


def has(screen_type: type, widget_type: type) -> Callable[[object], bool]:
    def ready(app: object) -> bool:
        screen = getattr(app, "screen", None)
        return isinstance(screen, screen_type) and bool(screen.query(widget_type))

    return ready


async def open_every_screen(workdir: Path, incident_id: str) -> None:
    from runbooks import load_runbook, resolve_runbook
    from store.sqlite_log import SqliteEventLog
    from tui.app.app import LastGoodApp
    from tui.app.follow_app import FollowApp
    from tui.app.replay_app import ReplayApp
    from tui.app.screens.follow import FollowBar, FollowScreen
    from tui.app.screens.incident import IncidentScreen
    from tui.app.screens.replay import ReplayBar, ReplayScreen
    from tui.app.widgets.checklist import Checklist

    db = workdir / "smoke.db"
    runbook = load_runbook(resolve_runbook("rollback"))
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, runbook, actor="smoke", incident_id=incident_id, network=False)
        await open_app("coordinator", app, has(IncidentScreen, Checklist))
    with SqliteEventLog.open(db, read_only=True) as log:
        await open_app("attach", FollowApp(log, incident_id), has(FollowScreen, FollowBar))
        events = log.events(incident_id)
    await open_app("replay", ReplayApp(events, playing=False), has(ReplayScreen, ReplayBar))


def smoke(workdir: Path) -> list[str]:
    check_installed_copy()
    version = lastgood(workdir, "--version").strip()
    if not version.startswith("lastgood ") or "unknown" in version:
        raise SmokeFailure(f"lastgood --version printed {version!r}")
    early_help = subprocess.run(
        [str(Path(sys.executable).parent / "lastgood"), "--help"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=WAIT_S,
        check=False,
    ).stdout
    if early_help != lastgood(workdir, "--help"):  # with --db: argparse's
        raise SmokeFailure("lastgood --help differs from argparse's help (`--db X --help`)")
    incident_id = lastgood(
        workdir, "declare", "--title", "Smoke", "--severity", "SEV3", "--commander", "CI"
    )
    if not incident_id.startswith("INC-") or incident_id.count("\n") != 1:
        raise SmokeFailure(f"lastgood declare printed {incident_id!r}, not an id alone")
    asyncio.run(open_every_screen(workdir, incident_id.strip()))
    demo = lastgood(workdir, "demo", "--headless")
    if "\nverify: ok, " not in demo:
        raise SmokeFailure("lastgood demo --headless did not end with a verified log")
    return [
        version,
        "--help as argparse's",
        "coordinator, attach and replay screens opened",
        "demo --headless ok",
    ]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="lastgood-smoke-") as scratch:
        try:
            lines = smoke(Path(scratch))
        except Exception as error:  # one line for whatever broke, then a non-zero exit
            reason = " ".join(str(error).split()) or type(error).__name__
            kind = "" if isinstance(error, SmokeFailure) else f"{type(error).__name__}: "
            print(f"installed smoke: {kind}{reason}", file=sys.stderr)
            return 1
    print(f"installed smoke ok: {'; '.join(lines)} (from {sys.prefix})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
