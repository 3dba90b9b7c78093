"""Live across machines: followers hear of new events through LISTEN/NOTIFY, not a timer.

Three processes on separate connections: two followers (as `attach` on two laptops
would) each block on a `PostgresListener` with a five-minute wait, and a writer
appends. Each follower must read every event the writer recorded; had the notice
not come, they would still be blocked when the test gives up on them (a minute),
so the test shows they were woken, not that they polled.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from store.postgres_log import PostgresEventLog
from tests.cli_helpers import ROOT
from tests.store_helpers import new_event

FOLLOWER = textwrap.dedent(
    """
    import sys
    from store.postgres_listen import PostgresListener
    from store.postgres_log import PostgresEventLog

    url, until = sys.argv[1], int(sys.argv[2])
    with PostgresListener.open(url, "inc-1") as listener, PostgresEventLog.open(
        url, read_only=True
    ) as log:
        last = log.last_seq("inc-1")
        print("ready", flush=True)
        while last < until:
            if listener.wait(300) is None:
                print("woke with nothing", flush=True)
                continue
            for event in log.events("inc-1", after_seq=last):
                print(f"seen {event.seq} {event.data.text}", flush=True)
                last = event.seq
    """
)

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from incident.core.events import NewEvent
    from incident.core.payloads import NoteAdded
    from store.postgres_log import PostgresEventLog

    with PostgresEventLog.open(sys.argv[1]) as log:
        for n in range(2, 5):
            note = NoteAdded(f"note {n}", "writer")
            log.append([NewEvent("inc-1", "writer", datetime.now(UTC), n, note)])
    """
)


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_followers_hear_a_third_process_append(pg_url: str) -> None:
    with PostgresEventLog.open(pg_url) as log:
        log.append([new_event(n=1)])
    followers = [_start(FOLLOWER, pg_url, "4") for _ in range(2)]
    for follower in followers:
        assert follower.stdout is not None
        assert follower.stdout.readline() == "ready\n", follower.stderr
    writer = _start(WRITER, pg_url)
    _, errors = writer.communicate(timeout=60)
    assert writer.returncode == 0, errors
    for follower in followers:
        out, errors = follower.communicate(timeout=60)
        assert follower.returncode == 0, errors
        seen = [line for line in out.splitlines() if line.startswith("seen")]
        assert seen == ["seen 2 note 2", "seen 3 note 3", "seen 4 note 4"]


def test_a_listener_hears_its_incident_only_and_the_newest_head(pg_url: str) -> None:
    from store.postgres_listen import PostgresListener

    with PostgresEventLog.open(pg_url) as log, PostgresListener.open(pg_url, "inc-1") as ear:
        log.append([new_event(n=1)])
        assert ear.wait(60) == 1
        log.append([new_event("inc-2", 1)])  # another incident's notice is not ours
        log.append([new_event(n=2), new_event(n=3)])
        log.append([new_event(n=4)])
        wakes = [ear.wait(60)]  # the newest head heard; a burst already queued, in one wake
        while wakes[-1] != 4:
            wakes.append(ear.wait(60))
        assert wakes in ([4], [3, 4])
        log.append([new_event("inc-2", 2)])
        assert ear.wait(0.2) is None
