"""What `lastgood monitor`'s log says while its record refuses writes (ux_review14 #4).

A lock held past the store's wait (10 s) drops the batch whose call failed and the
batches polled meanwhile. The log went quiet: no tick lines, two untimed lines on
stderr, and the loss never counted. Now each dropped tick is printed, marked `(not
recorded)`; the outage lines carry a T+ on stdout, with every other line said while it
runs; `samples recorded again` and the stop line say how many ticks were lost, and when.

A real `monitor` polls a real loopback server whose every answer is the next build
name, so a tick line names the poll it shows; another real process holds the SQLite
file's lock with `BEGIN IMMEDIATE` until told to let go.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.cli_helpers import Cli
from tests.monitor_process import running_monitor
from tests.test_monitor_slow_record import Builds, declared, recorded_builds
from tests.waiting import poll_until

WAIT_S = 60
"""Far past the store's 10 s wait for a lock and what follows it."""
HOLDER = (
    "import sqlite3, sys\n"
    "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "c.execute('BEGIN IMMEDIATE')\n"
    "print('held', flush=True)\n"
    "sys.stdin.read()\n"
    "c.execute('ROLLBACK')\n"
)
TICK = re.compile(r"^(T\+\d\d:\d\d)  build (build-\d+)")
LOST = re.compile(r"(\d+) ticks?, (T\+\d\d:\d\d)(?:–(T\+\d\d:\d\d))?, not recorded")


@contextmanager
def held_by_another_process(db: Path) -> Iterator[None]:
    """Another process holding the file's write lock until this block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline() == "held\n"
        yield
    finally:
        holder.stdin.close()
        holder.wait(WAIT_S)


def test_ticks_polled_while_the_record_refuses_are_shown_marked_and_counted(
    tmp_path: Path,
) -> None:
    cli = Cli(tmp_path / "record.db", actor="bastion")
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        with running_monitor(cli, incident_id) as (process, out, err):
            poll_until(lambda: out.has("build-1"), "a first batch recorded", WAIT_S)
            with held_by_another_process(tmp_path / "record.db"):
                poll_until(lambda: out.has("samples not recorded: "), "the outage said", WAIT_S)
            poll_until(lambda: out.has("samples recorded again"), "the recovery said", WAIT_S)
            process.send_signal(signal.SIGINT)
            process.wait(WAIT_S)
            said, lines = err.joined(), out.joined().splitlines()
    # Every line said while it ran is on stdout after its T+; stderr has the start and stop.
    assert all(re.match(r"T\+\d\d:\d\d  ", line) for line in lines), lines
    assert "samples" not in said.splitlines()[0], said
    shown_lost = [TICK.match(line) for line in lines if line.endswith(" (not recorded)")]
    assert shown_lost and all(shown_lost), lines
    lost_builds = [match.group(2) for match in shown_lost if match]
    again = next(line for line in lines if "samples recorded again" in line)
    count = LOST.search(again)
    assert count is not None, again
    assert int(count.group(1)) == len(lost_builds), (again, lines)
    first, last = shown_lost[0], shown_lost[-1]
    assert first is not None and last is not None
    assert count.group(2) == first.group(1)
    assert (count.group(3) or count.group(2)) == last.group(1)
    stop = said.splitlines()[-1]
    assert stop.startswith("monitor stopped after "), said
    assert stop.endswith(f"; {count.group(0)}"), said
    # What was shown as not recorded is not in the record; everything else is, in order.
    kept = recorded_builds(cli, incident_id)
    assert not set(kept) & set(lost_builds), (kept, lost_builds)
    numbers = sorted(int(build.split("-")[1]) for build in kept + lost_builds)
    assert numbers == list(range(1, len(numbers) + 1)), (kept, lost_builds)  # none unsaid
    assert "ok," in cli.ok("verify", incident_id)
