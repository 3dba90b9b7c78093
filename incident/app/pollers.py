"""Pollers by name: what a poller's ticks call it, and what this machine can tell of
one by its name (whether it is this process, whether its process has ended).

Apart from `incident.app.probe_turn` because the views read them from their first
frame (`tui/app/widgets/incident_view.py`), before any command is loaded; and
`status` reads them (`live_mark`), so `socket` (5 ms to import, measured here) is
loaded only when a poller's name is asked about.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from incident.core.state import IncidentState
from incident.health.poll_mark import PollMark, poll_mark, poller_where


def live_mark(state: IncidentState, now: datetime) -> PollMark | None:
    """Who polls `state`'s probes at `now`, as this machine knows it
    (`incident.health.poll_mark.Marker`): a poller of this machine whose process has
    ended stopped at once (`poller_gone`), one elsewhere once its turn lapses. What
    `status`, `brief` and `status --check-polled` say, for a process that polls
    nothing itself (never `here`)."""
    return poll_mark(state, now, gone=poller_gone)


def _host() -> str:
    """This machine's name, as a poller's name says where it runs."""
    import socket  # not before a poller's name is made or asked about (the module says)

    return socket.gethostname()


def poller_name(actor: str | None, face: str) -> str:
    """What a poller's ticks call it: who, which face, and where it runs, so that two
    `monitor`s of one person are two pollers and whoever reads the line can find it."""
    who = f"{actor}'s {face}" if actor else f"a {face}"
    return f"{who} (pid {os.getpid()} on {_host()})"


def poller_here(name: str) -> bool:
    """Whether the poller `name` is this process: the screen polling, or the child it
    polls in, which its ticks name as the screen (`tui/app/probe_child.py`)."""
    where = poller_where(name)
    return where is not None and where[1:] == (os.getpid(), _host())


def poller_gone(name: str) -> bool:
    """Whether the poller `name` ran on this machine and its process has ended: a
    `monitor` restarted (or a screen reopened) takes the turn at once, rather than
    wait for its own last run's turn to lapse. Not known of another machine's."""
    where = poller_where(name)
    if where is None or where[2] != _host():
        return False
    pid = where[1]
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)  # no signal sent: only whether the process is there
    except ProcessLookupError:
        return True
    except OSError:  # there, another user's; or not ours to ask about
        return False
    return _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether `pid` has ended and waits to be reaped (`<defunct>`): it still answers
    `kill(pid, 0)`. A container whose first process reaps nobody keeps every orphan
    so (review11 #9). Read from /proc where there is one; elsewhere, not known."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    fields = stat.rpartition(")")[2].split()  # after the command's name, which may hold ")"
    return bool(fields) and fields[0] in ("Z", "X")
