"""`lastgood drill` and `lastgood score`: a scored rehearsal against the demo shop.

The TUI side opens through `tui.cli.launch` (the CLI's one door into Textual); here
are the fault list, the headless drill a script or a test drives with the other
verbs, and the score card as text or JSON, once the drill is closed (it names the
fault: `incident.app.drill.closed_score`).
"""

from __future__ import annotations

import shlex
import sys
import time

from incident.app.drill import closed_score, pick_fault
from incident.app.session import IncidentSession
from incident.core.clock import SystemClock
from incident.core.errors import CommandError
from incident.core.state import IncidentState
from incident.core.text import visible
from incident.reports.drill_faults import FAULTS, fault_shown
from incident.reports.drill_score import score_data, score_text
from tui.cli.arguments import Arguments
from tui.cli.context import chosen_db, known_actor, open_file_at, open_log, open_session, refused
from tui.cli.errors import CliError
from tui.cli.shown_stream import json_for_stdout

POLL_S = 0.2
"""How often the headless drill looks for the close another process records."""


def cmd_drill(args: Arguments) -> int:
    if args.list_faults:
        for fault in FAULTS.values():
            print(f"{fault.name:<24}{fault.title}: {fault.symptom}")
        return 0
    if args.duration is not None and not args.headless:
        raise CliError("--for needs --headless (the TUI runs until you quit it)")
    try:
        fault = pick_fault(args.fault, args.seed)
    except ValueError as error:
        raise CliError(str(error)) from None
    if not args.headless:
        from tui.cli.launch import open_drill

        path, opened = open_drill(args, fault)
        if opened is not None:
            print(farewell(str(path), opened.id, opened))
        return 0
    actor = known_actor(args)
    if actor is None:
        raise CliError("--as NAME needed: the drill's incident commander")
    from tui.demo.launch import demo_incident, scratch_db

    path = chosen_db(args) or scratch_db()
    with open_file_at(path) as log, demo_incident(log, fault, args.seed) as drill:
        incident_id = drill.declare(actor)
        print(incident_id, flush=True)
        where = shlex.join(["lastgood", "--db", str(path)])
        print(
            f"drill {incident_id}: the shop serves at {drill.shop_url} until the drill is "
            f"closed; drive it with `{where} ...` (monitor records its probes)",
            file=sys.stderr,
            flush=True,
        )
        session = IncidentSession(log, incident_id, SystemClock())
        state = wait_for_close(session, args.duration)
        print(farewell(str(path), incident_id, state))
    return 0


def wait_for_close(session: IncidentSession, duration_s: float | None) -> IncidentState:
    """The drill's state once another process has closed it, `duration_s` has passed
    or Ctrl-C was pressed: the score card is shown in every case."""
    deadline = None if duration_s is None else time.monotonic() + duration_s
    try:
        while not session.state.is_closed:
            if deadline is not None and time.monotonic() >= deadline:
                break
            time.sleep(POLL_S)
            session.refresh()
    except KeyboardInterrupt:
        pass
    return session.state


def farewell(db: str, incident_id: str, state: IncidentState) -> str:
    """After the TUI or the headless drill: the score card once closed, else how to see
    it later (not what it says so far: it would name the fault)."""
    if fault_shown(state):
        return score_text(closed_score(state, state.closed_at or SystemClock().now()))
    from tui.demo.launch import reopen_command  # loaded already: the drill ran on it

    score = shlex.join(["lastgood", "--db", db, "score", incident_id])
    return visible(
        f"Drill {incident_id} is still open; its score card, once it is closed: {score}; "
        f"go on: {reopen_command(db, incident_id, state.declared_by)} (the shop has stopped: "
        "its probes off)"
    )


def cmd_score(args: Arguments) -> int:
    with open_log(args, read_only=True) as log:
        session = open_session(log, args.id)
        state = session.state
        if not state.drill:
            raise CliError(f"{args.id} is not a drill (lastgood drill rehearses one)")
        try:
            card = closed_score(state, session.clock.now())
        except CommandError as error:
            raise refused(error) from None
    print(json_for_stdout(score_data(card)) if args.json else score_text(card))
    return 0
