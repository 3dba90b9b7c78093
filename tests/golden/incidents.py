"""Recorded incidents for the golden and structure tests of the post-mortem documents.

`closed_record()` is the `closed` scenario (a whole blue-green rollback through a
real SQLite file, probes sampling every 5 s) plus the post-mortem work recorded the
next day. `hostile_record()` is an incident whose every piece of user text tries
to break a Markdown document.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.commands.rules import make_event
from incident.core.clock import ManualClock
from incident.core.events import Event, NewEvent
from incident.core.payloads import ApprovalGranted
from incident.core.state import IncidentState, fold
from incident.core.text import visible_block
from tests.memory_log import MemoryLog
from tui.demo.scenarios import ACTOR, SCENARIO_T0, bundled_runbook, closed

GOLDEN = Path(__file__).resolve().parent
PARIS = ZoneInfo("Europe/Paris")
HEAD_PLACEHOLDER = "<head-hash>"


@dataclass(frozen=True)
class Record:
    state: IncidentState
    events: list[Event]
    now: datetime


@cache
def closed_record() -> Record:
    """The `closed` scenario, then RCA, action items, lessons and the meeting."""
    with tempfile.TemporaryDirectory() as directory:
        scenario = closed(Path(directory) / "incidents.db")
        clock = scenario.clock
        try:

            def run(command: Callable[[IncidentState], NewEvent], after_s: float) -> None:
                clock.advance(after_s)  # the probes are stopped: no samples from here
                scenario.run(command)

            run(
                lambda s: commands.add_note(
                    s,
                    "Canary stage was skipped for 2.4.1: the error budget alert fired at T+0",
                    actor=ACTOR,
                    clock=clock,
                    pinned=True,
                ),
                600,
            )
            run(
                lambda s: commands.note_rca(
                    s,
                    "2.4.1 changed the checkout client's retry policy: a 502 from the "
                    "payment gateway was retried without backoff, exhausting the pool.",
                    actor=ACTOR,
                    clock=clock,
                ),
                300,
            )
            run(
                lambda s: commands.add_action_item(
                    s,
                    "Restore the canary stage for checkout releases",
                    owner="Bo",
                    due=date(2026, 12, 4),
                    actor=ACTOR,
                    clock=clock,
                ),
                60,
            )
            run(
                lambda s: commands.add_action_item(
                    s,
                    "Alert on payment-gateway retry rate",
                    actor=ACTOR,
                    clock=clock,
                ),
                60,
            )
            run(
                lambda s: commands.note_lesson(
                    s,
                    "The error-rate trigger fired within 15 s of impact",
                    category="went-well",
                    actor=ACTOR,
                    clock=clock,
                ),
                60,
            )
            run(
                lambda s: commands.note_lesson(
                    s,
                    "Stakeholders heard about the rollback 12 minutes in",
                    category="went-wrong",
                    actor=ACTOR,
                    clock=clock,
                ),
                60,
            )
            closed_at = fold(scenario.log.events(scenario.incident_id)).closed_at
            meeting = (closed_at or SCENARIO_T0) + timedelta(hours=26)
            run(
                lambda s: commands.schedule_postmortem(
                    s,
                    meeting.replace(minute=0, second=0, microsecond=0),
                    duration_min=45,
                    attendees=["Ada Lovelace", "Bo", "cy@example.com"],
                    actor=ACTOR,
                    clock=clock,
                ),
                60,
            )
            events = scenario.log.events(scenario.incident_id)
            state = fold(events)
            return Record(state, events, clock.now())
        finally:
            scenario.log.close()


NASTY_LINES = (
    "# Injected heading\n"
    "## Injected h2\n"
    "<script>alert('x')</script>\n"
    "</details>\n"
    "| col | umn |\n"
    "|---|---|\n"
    "```\n"
    "fenced\n"
    "```\n"
    "````\n"
    "longer fence\n"
    "````\n"
    "---\n"
    "#no-space hash\n"
    "1. ordered\n"
    "- bullet\n"
    "> quote\n"
    "\ttabbed\n"
    "[link](javascript:alert(1)) <http://example.com> &amp; &#35; ![i](x) *em* _u_ ~~s~~ \\\n"
    "\x1b]52;c;Y3VybCBldmlsfHNo\x07 \x1b]0;title\x07 \x1b[2J \x9b31m \x7f bell\x07"
)
"""Many lines of everything that means something in Markdown, HTML or a terminal."""

NASTY_LINES_SHOWN = visible_block(NASTY_LINES)
"""How every output shows them: lines kept, terminal controls as visible pictures."""

NASTY = "# heading? | pipe | `tick` ``two`` <b>bold</b> </details> *em* [x](y) 1. ---\\"
"""One line of it."""


def older_approval(
    state: IncidentState, target: str, *, by: str, reason: str, actor: str, clock: ManualClock
) -> NewEvent:
    """An approval of a gated step as a release before the role rule recorded it, from
    whoever was named (`approve --by`, `decide --by`), holder of the gate's role or not:
    such records stand as written, and the report lists them under Inconsistencies."""
    role = state.steps[target].step.approver or ""
    return make_event(state.id, actor, clock, ApprovalGranted(target, role, by, reason))


def _flat(text: str) -> str:
    """Each line's white space folded, its line breaks marked ` ⏎ ` (a blank line between
    two is a mark of its own), a lone CR shown as ␍ (ux_review16 #16)."""
    broken = text.replace("\r\n", "\n").replace("\r", "\u240d").split("\n")
    lines = [" ".join(line.split()) for line in broken]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return " ⏎".join(f" {line}" if line else "" for line in lines).strip()


@cache
def hostile_record() -> Record:
    """An incident where every text a person typed is an attempt to break the report."""
    clock = ManualClock(SCENARIO_T0)
    runbook = bundled_runbook()
    actor = "eve | <script>x</script>"
    details = Declaration(
        title="Checkout ## broken | <b>x</b> `y` #\n# Injected title line",
        severity="SEV2",
        commander="Ada | <i>Lovelace</i>",
        issue=NASTY_LINES,
        eta_min=30,
        pattern="blue-green",
        channel="#inc|<chan>",
        from_version="2.4.1 | x",
        last_good_version="1. <b>",
    )
    log = MemoryLog()
    session = IncidentSession.declare(
        log,
        commands.declare(runbook, details, actor=actor, clock=clock, incident_id="INC-HOSTILE"),
        clock,
    )

    def run(command: Callable[[IncidentState], NewEvent], after_s: float = 30) -> None:
        clock.advance(after_s)
        session.run(command)

    run(lambda s: commands.add_note(s, NASTY_LINES, actor=actor, clock=clock, pinned=True))
    run(lambda s: commands.add_note(s, NASTY, actor=actor, clock=clock))
    run(
        lambda s: commands.mark_trigger(
            s, "core-broken", True, actor=actor, clock=clock, note=NASTY
        )
    )
    run(
        lambda s: commands.check_step(
            s, "assess-severity", actor=actor, clock=clock, note=NASTY_LINES
        )
    )
    run(
        lambda s: older_approval(
            s, "decide-rollback", by="Ada `|` Lovelace", reason=NASTY, actor=actor, clock=clock
        )
    )
    run(lambda s: commands.check_step(s, "decide-rollback", actor=actor, clock=clock))
    run(lambda s: commands.send_communication(s, actor=actor, clock=clock, text=NASTY_LINES))
    run(
        lambda s: commands.send_communication(
            s, actor=actor, clock=clock, text="`````\nfive backticks, no final newline"
        )
    )
    run(lambda s: commands.record_page(s, NASTY, actor=actor, clock=clock, note=NASTY_LINES))
    run(
        lambda s: commands.assign_role(s, "comms-lead", "Cy | </details>", actor=actor, clock=clock)
    )
    # The tier's approval below comes from whoever holds leadership (no later time moves).
    run(lambda s: commands.assign_role(s, "leadership", "Boss <b>", actor=actor, clock=clock), 0)
    run(
        lambda s: commands.change_severity(s, "SEV1", reason=NASTY_LINES, actor=actor, clock=clock),
        60,
    )
    run(
        lambda s: commands.skip_step(
            s, "record-running-version", reason=NASTY_LINES, actor=actor, clock=clock
        )
    )
    run(
        lambda s: commands.record_command(
            s,
            "record-running-version",
            command="echo '|' `date` <x> # done",
            exit_code=3,
            output_tail=NASTY_LINES,
            actor=actor,
            clock=clock,
        )
    )
    run(
        lambda s: commands.check_step(
            s, "app-rollback-blue-green", actor=actor, clock=clock, note=NASTY
        ),
        120,
    )
    run(
        lambda s: commands.choose_database_tier(
            s, "restore-backup", reason=NASTY_LINES, actor=actor, clock=clock
        )
    )
    run(
        lambda s: commands.approve(
            s, "restore-backup", by="Boss <b>", reason=NASTY, actor=actor, clock=clock
        )
    )
    run(
        lambda s: commands.check_step(
            s, "confirm-version", actor=actor, clock=clock, evidence=NASTY
        ),
        300,
    )
    run(
        lambda s: commands.close(s, actor=actor, clock=clock, force=True, reason=NASTY),
        600,
    )
    run(lambda s: commands.note_rca(s, NASTY_LINES, actor=actor, clock=clock), 3600)
    run(lambda s: commands.note_rca(s, NASTY, actor=actor, clock=clock))
    run(
        lambda s: commands.add_action_item(
            s, NASTY, owner="Bo | <b>", due=date(2026, 12, 24), actor=actor, clock=clock
        )
    )
    run(lambda s: commands.add_action_item(s, NASTY_LINES, actor=actor, clock=clock))
    run(
        lambda s: commands.note_lesson(
            s, NASTY_LINES, category="went-wrong", actor=actor, clock=clock
        )
    )
    run(lambda s: commands.note_lesson(s, NASTY, category="lucky", actor=actor, clock=clock))
    run(lambda s: commands.note_lesson(s, NASTY, actor=actor, clock=clock))
    run(
        lambda s: commands.schedule_postmortem(
            s,
            SCENARIO_T0 + timedelta(hours=80),
            attendees=["Ada | x", "<script>"],
            force=True,
            reason=NASTY_LINES,
            actor=actor,
            clock=clock,
        )
    )
    return Record(session.state, log.events("INC-HOSTILE"), clock.now())


def normalise(text: str, events: Sequence[Event]) -> str:
    """The head hash depends on where the runbook file lives; golden files do not."""
    return text.replace(events[-1].hash, HEAD_PLACEHOLDER) if events else text


def flat(text: str) -> str:
    """User text as it reads on one line of the report."""
    return _flat(text)
