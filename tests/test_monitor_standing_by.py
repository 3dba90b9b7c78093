"""A stand-by `monitor` says what it does, and keeps saying it (ux_review14 #7).

A second monitor of an incident said `probes: polled by X; showing its readings` and
then nothing for hours: it showed no readings, and a log of one line reads as a hung
process. Now it says `probes: standing by while X polls; taking over if it stops`,
and every minute `standing by: X polled at T+…`, the T+ of the other's latest tick.

Real `monitor` processes poll a real loopback server into a real SQLite file.
"""

from __future__ import annotations

import re
import signal
import socket
from pathlib import Path

from tests.cli_helpers import Cli
from tests.test_monitor_slow_record import Builds
from tests.test_one_poller import declared, monitor
from tests.waiting import poll_until

WAIT_S = 60 + 60
"""Past the minute between two of the stand-by's lines, on a loaded machine."""
STILL = re.compile(r"^T\+\d\d:\d\d  standing by: (.+) polled at (T\+\d\d:\d\d)$")


def test_a_stand_by_monitor_says_it_stands_by_and_again_every_minute(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "standby.db", actor="ada")
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        with monitor(cli, incident_id, "Ada") as (ada, ada_says):
            poll_until(lambda: bool(ada_says.lines), "Ada's first batch recorded", WAIT_S)
            with monitor(cli, incident_id, "Bo") as (bo, bo_says):
                poll_until(lambda: bool(bo_says.lines), "Bo's monitor to say something", WAIT_S)
                ada_name = f"Ada's monitor (pid {ada.pid} on {socket.gethostname()})"
                assert bo_says.lines[0].endswith(
                    f"  probes: standing by while {ada_name} polls; taking over if it stops"
                ), bo_says.lines
                poll_until(lambda: bo_says.has("standing by: "), "Bo still standing by", WAIT_S)
                bo.send_signal(signal.SIGINT)
                assert bo.wait(WAIT_S) == 0
            ada.send_signal(signal.SIGINT)
            assert ada.wait(WAIT_S) == 0
    still = STILL.match(bo_says.lines[1])
    assert still is not None, bo_says.lines
    assert still.group(1) == ada_name
    ada_ticks = {line.split("  ", 1)[0] for line in ada_says.joined().splitlines()}
    assert still.group(2) in ada_ticks, (still.group(2), ada_ticks)  # one of Ada's ticks
    assert "build-" not in bo_says.joined()  # it polled nothing, and showed no readings
