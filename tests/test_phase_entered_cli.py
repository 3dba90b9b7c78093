"""The phase being worked in, before its first step is checked (ux_review13 #14).

`timeline` said the active phase was "not started" from the decision's messages
(T+03:31) until the load balancer was switched (T+06:08), and "ran" it from that first
step: the rollback being prepared belonged to no phase. The phase is entered when the
one before it finishes (the first at the declaration). `brief`'s second line shows
the declaration's T+ when the impact start was back-dated.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.cli_helpers import Cli


def test_timeline_says_the_phase_was_entered_and_runs_it_from_there(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "entered.db", actor="Eve Engineer")
    setup = cli.in_process()
    started = (datetime.now(UTC) - timedelta(minutes=2)).isoformat(timespec="seconds")
    incident_id = setup.ok(
        "declare", "--title", "Checkout errors", "--severity", "SEV2",
        "--commander", "Eve Engineer", "--started-at", started,
    ).strip()  # fmt: skip
    brief = cli.ok("brief", incident_id).splitlines()
    assert re.fullmatch(r"OPEN T\+0[12]:\d\d \(declared T\+0[12]:\d\d\)  Decision and .*", brief[1])

    setup.ok("decide", incident_id, "--reason", "error rate 12%")
    for template in ("announce", "paging", "initiating"):
        setup.run("send", incident_id, "--template", template)
    setup.ok("channel", incident_id, "#inc-checkout")
    # assess-severity: the decision checked it, with the gate's trigger reading
    timeline = cli.ok("timeline", incident_id)
    phase_1 = timeline.split("## Decision and Communication", 1)[1].split("\n\n", 2)[1]
    phase_2 = timeline.split("## Execute Rollback", 1)[1].split("\n\n", 2)[1]
    ended = re.search(
        r"entered (T\+[0-9:]+), first action (T\+[0-9:]+), finished (T\+[0-9:]+)", phase_1
    )
    assert ended is not None, phase_1
    entered = re.escape(f"; entered {ended.group(3)}, no step done yet; active.")
    assert re.fullmatch(r"target T\+7(m|:0\d) to T\+32(m|:0\d)" + entered, phase_2), phase_2
