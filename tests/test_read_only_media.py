"""Evidence on read-only media: the read-only verbs work and leave every byte as it was.

Two ways to make the files really unwritable, because tests run as root, which
permission bits do not stop:

- `mount`: a tmpfs remounted read-only (needs mount rights; skipped, with the
  reason, where the container forbids it);
- `permissions`: the directory 0555 and the files 0444, read by a process that
  cannot override them: this user when not root, else root with every capability
  dropped (`setpriv`), so the bits bind even for uid 0. This one runs everywhere;
  if it cannot be set up the test fails rather than skipping.

Each variant holds a closed copy (the file alone) and a live copy (the file, its
`-wal` and `-shm`, taken while a writer had them open), whose last events are
only in the `-wal`; and that copy without its `-shm`, which SQLite cannot read
in place without creating one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from incident import commands
from tests.cli_helpers import ROOT
from tests.test_damaged_record import declared_session

NAME = "lastgood.db"
SIDECARS = ("", "-wal", "-shm")
DROP_CAPABILITIES = ["setpriv", "--bounding-set=-all", "--inh-caps=-all"]

# Runs inside the restricted process: every read-only verb through the real CLI
# entry point, then `attach` (its read-only log open and screen) headless.
VERBS = """
import asyncio, contextlib, io, json, sys
from tui.cli.main import main

db, incident_id = sys.argv[1:3]
results = {}
for verb in (["verify", incident_id], ["status", incident_id], ["status", incident_id, "--json"],
             ["export", incident_id, "--format", "json"], ["replay", incident_id, "--json"]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", db, *verb])
    results[" ".join(verb[:1] + verb[2:])] = [code, out.getvalue(), err.getvalue()]

async def attach():
    from store.sqlite_log import SqliteEventLog
    from tui.app.follow_app import FollowApp
    from tui.app.screens.follow import FollowScreen
    with SqliteEventLog.open(db, read_only=True) as log:
        app = FollowApp(log, incident_id)
        async with app.run_test(size=(120, 30)) as pilot:
            # Until the screen is up, however slow the machine: 60 s is only a net against
            # a hang (500 polls of 10 ms went on to read whichever screen was up by then).
            deadline = asyncio.get_running_loop().time() + 60
            while not isinstance(app.screen, FollowScreen):
                assert asyncio.get_running_loop().time() < deadline, "attach never opened"
                await pilot.pause(0.01)
            return app.screen.state.last_seq

results["attach"] = [0, str(asyncio.run(attach())), ""]
print(json.dumps(results))
"""

PROBE = """
import sys
from pathlib import Path
try:
    Path(sys.argv[1], "probe").write_text("x")
except OSError as error:
    print(type(error).__name__, error.errno)
else:
    print("WRITABLE")
"""


@dataclass(frozen=True)
class Recorded:
    incident_id: str
    total: int
    closed: dict[str, bytes]
    live: dict[str, bytes]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    db = tmp_path_factory.mktemp("source") / NAME
    log, session = declared_session(db)
    with log:
        for n in range(5):
            session.run(
                lambda s, n=n: commands.add_note(s, f"note {n}", actor="a", clock=session.clock)
            )
        total = session.state.last_seq
        live = {s: db.with_name(NAME + s).read_bytes() for s in SIDECARS}
    closed = {"": db.read_bytes()}
    assert not db.with_name(NAME + "-wal").exists()
    # The live copy's file alone lacks the last events: they are only in its -wal.
    alone = tmp_path_factory.mktemp("alone") / NAME
    alone.write_bytes(live[""])
    conn = sqlite3.connect(f"{alone.as_uri()}?immutable=1", uri=True)
    try:
        in_file_alone = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    finally:
        conn.close()
    assert in_file_alone < total
    return Recorded(session.state.id, total, closed, live)


def _fingerprint(directory: Path) -> list[tuple[str, int, int, int, str]]:
    return sorted(
        (
            p.name,
            p.stat().st_size,
            p.stat().st_mode,
            p.stat().st_mtime_ns,
            hashlib.sha256(p.read_bytes()).hexdigest(),
        )
        for p in directory.iterdir()
    )


def _fill(directory: Path, files: dict[str, bytes]) -> None:
    for suffix, data in files.items():
        target = directory / (NAME + suffix)
        target.write_bytes(data)
        target.chmod(0o444)


@dataclass(frozen=True)
class Media:
    directory: Path
    prefix: list[str]
    """What to run a command under so that it cannot override permission bits."""


@contextlib.contextmanager
def read_only_mount(base: Path, files: dict[str, bytes]) -> Iterator[Media]:
    if os.geteuid() != 0:
        pytest.skip("a read-only mount needs root; the permissions variant covers this host")
    point = base / "media"
    point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m,mode=0755", "tmpfs", str(point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        reason = mounted.stderr.strip() or f"exit {mounted.returncode}"
        pytest.skip(f"cannot mount here ({reason}); the permissions variant covers this host")
    try:
        _fill(point, files)
        subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)
        yield Media(point, [])
    finally:
        subprocess.run(["umount", str(point)], check=False)


@contextlib.contextmanager
def read_only_permissions(base: Path, files: dict[str, bytes]) -> Iterator[Media]:
    directory = base / "evidence"
    directory.mkdir()
    _fill(directory, files)
    directory.chmod(0o555)
    prefix = DROP_CAPABILITIES if os.geteuid() == 0 else []
    if prefix and shutil.which(prefix[0]) is None:
        pytest.fail("running as root without setpriv: cannot make permission bits bind")
    try:
        yield Media(directory, prefix)
    finally:
        directory.chmod(0o755)


VARIANTS = {"mount": read_only_mount, "permissions": read_only_permissions}


COPIES = ("closed", "live", "wal-without-shm")


def _files(recorded: Recorded, copy: str) -> dict[str, bytes]:
    if copy == "closed":
        return recorded.closed
    if copy == "live":
        return recorded.live
    return {s: data for s, data in recorded.live.items() if s != "-shm"}


@pytest.fixture(params=[(v, c) for v in VARIANTS for c in COPIES], ids="-".join)
def media(
    request: pytest.FixtureRequest, recorded: Recorded, tmp_path: Path
) -> Iterator[tuple[Media, str]]:
    variant, copy = request.param
    with VARIANTS[variant](tmp_path, _files(recorded, copy)) as prepared:
        yield prepared, copy


def _run(media: Media, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [*media.prefix, sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_read_only_verbs_work_on_evidence_and_change_nothing(
    media: tuple[Media, str], recorded: Recorded
) -> None:
    prepared, copy = media
    directory, incident_id, total = prepared.directory, recorded.incident_id, recorded.total
    before = _fingerprint(directory)
    assert [name for name, *_ in before] == sorted(NAME + s for s in _files(recorded, copy))

    probe = _run(prepared, "-c", PROBE, str(directory))
    assert probe.stdout.split() in (["PermissionError", "13"], ["OSError", "30"]), (
        f"the evidence is writable here, so this would prove nothing: {probe.stdout}{probe.stderr}"
    )

    done = _run(prepared, "-c", VERBS, str(directory / NAME), incident_id)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    for verb, (code, _, err) in results.items():
        assert code == 0, f"{verb}: {err}"
    assert results["verify"][1].startswith(f"{incident_id}: ok, {total} events, head ")
    assert results["status"][1].startswith(f"{incident_id}  SEV2  t\n")
    assert json.loads(results["status --json"][1])["events"] == total
    assert json.loads(results["export --format json"][1])["event_count"] == total
    assert json.loads(results["replay --json"][1])["events"] == total
    assert results["attach"][1] == str(total)

    assert _fingerprint(directory) == before
