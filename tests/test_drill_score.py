"""The drill's score card from hand-built event sequences, at injected moments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from incident import commands
from incident.app.drill import pick_fault
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.core.clock import ManualClock
from incident.core.samples import Outcome, Sample
from incident.core.state import IncidentState
from incident.reports.drill_faults import FAULTS, FaultName, fault_named
from incident.reports.drill_score import (
    Verdict,
    cadence_tally,
    phase_line,
    score_card,
    score_data,
    score_text,
)
from runbooks import load_runbook, resolve_runbook
from tests.conftest import T0
from tests.memory_log import MemoryLog

ACTOR = "Ada"
DRILL = Declaration(
    title="Drill: checkout errors",
    severity="SEV2",
    commander=ACTOR,
    issue="checkout failing",
    eta_min=20,
    pattern="blue-green",
    from_version="2.4.1",
    last_good_version="2.4.0",
    drill="bad-release",
)


def drill_session(clock: ManualClock, details: Declaration = DRILL) -> IncidentSession:
    runbook = load_runbook(resolve_runbook("rollback"))
    event = commands.declare(runbook, details, actor=ACTOR, clock=clock, incident_id="INC-D-1")
    return IncidentSession.declare(MemoryLog(), event, clock)


Command = Callable[[IncidentState, ManualClock], Any]


def at(session: IncidentSession, clock: ManualClock, minute: float, command: Command) -> None:
    """Run `command` at T+`minute` (the clock only moves forward)."""
    clock.set(T0 + timedelta(minutes=minute))
    session.run_many(lambda s: _listed(command(s, clock)))


def _listed(made: Any) -> list[Any]:
    return list(made) if isinstance(made, list) else [made]


def check(step: str, note: str = "") -> Command:
    return lambda s, c: commands.check_step(s, step, actor=ACTOR, clock=c, note=note)


def skip(step: str, reason: str) -> Command:
    return lambda s, c: commands.skip_step(s, step, reason=reason, actor=ACTOR, clock=c)


def send(template: str) -> Command:
    return lambda s, c: commands.send_communication(s, actor=ACTOR, clock=c, template=template)


def samples(version: str, error_rate: float) -> Command:
    def made(s: IncidentState, c: ManualClock) -> Any:
        now = c.now()
        batch = [
            Sample("version", now, Outcome.OK, 5.0, 200, text=version),
            Sample("error-rate", now, Outcome.OK, 5.0, 200, value=error_rate),
        ]
        return commands.record_samples(s, batch, actor="probes", clock=c)

    return made


def walk(
    session: IncidentSession,
    clock: ManualClock,
    *,
    tier: str = "none",
    slow: float = 1.0,
    close: bool = True,
):
    """A whole rollback; `slow` stretches every moment after T+0 (2.0 takes twice as long).
    With `close` false it stops with every phase done and the incident still open."""

    def t(minute: float) -> float:
        return minute * slow

    approve = lambda s, c: commands.approve(  # noqa: E731
        s, "decide-rollback", by=ACTOR, reason="error rate over 5%", actor=ACTOR, clock=c
    )
    at(session, clock, t(0.5), check("assess-severity"))
    at(session, clock, t(0.6), check("create-channel"))
    at(session, clock, t(0.7), check("assign-commander"))
    at(session, clock, t(1.0), approve)
    at(session, clock, t(1.1), check("decide-rollback"))
    for minute, template, step in (
        (1.2, "announce", "announce-rollback"),
        (1.3, "paging", "assemble-team"),
        (1.4, "initiating", "notify-stakeholders"),
    ):
        at(session, clock, t(minute), send(template))
        at(session, clock, t(minute), check(step))
    at(session, clock, t(6.0), check("app-rollback-blue-green"))
    choose = lambda s, c: commands.choose_database_tier(  # noqa: E731
        s, tier, reason="expand-contract", actor=ACTOR, clock=c
    )
    at(session, clock, t(7.0), choose)
    if tier == "restore-backup":
        at(
            session,
            clock,
            t(7.1),
            lambda s, c: commands.approve(
                s, "tier:restore-backup", by="Lee", reason="backup", actor=ACTOR, clock=c
            ),
        )
    at(session, clock, t(7.5), check("database-rollback"))
    for second in range(0, 60, 5):
        at(session, clock, t(16.0) + second / 60, samples("2.4.0", 0.004))
    at(session, clock, t(17.0), check("confirm-version"))
    at(session, clock, t(17.1), check("check-health"))
    at(session, clock, t(18.0), check("smoke-test"))
    at(session, clock, t(19.0), send("resolved"))
    for minute, step in (
        (19.1, "communicate-resolution"),
        (20.0, "document-incident"),
        (21.0, "preliminary-rca"),
        (22.0, "schedule-post-mortem"),
    ):
        at(session, clock, t(minute), check(step))
    if close:
        at(session, clock, t(23.0), lambda s, c: commands.close(s, actor=ACTOR, clock=c))


def verdicts(state: IncidentState) -> dict[str, Verdict]:
    card = score_card(state, state.closed_at or T0)
    return {line.name: line.verdict for line in card.lines}


def test_a_brisk_drill_meets_every_line(clock: ManualClock) -> None:
    session = drill_session(clock)
    walk(session, clock)
    card = score_card(session.state, clock.now())
    assert card.closed
    assert card.met == len(card.lines) == 8
    text = score_text(card)
    assert "Phase 1 Decision and Communication: done at T+01:24 of its T+0-5m window" in text
    assert "Time to decision: 1m06s of the 5m Decision and Communication window" in text
    assert "Database tier: none fits the fault" in text
    assert "Messages on cadence: 4 of 4 on time (first within 5m, then every 20m)" in text
    assert "2 of 2 on evidence (confirm-version: version 2.4.0 confirmed" in text


def test_a_slow_drill_misses_the_windows_and_cadence(clock: ManualClock) -> None:
    session = drill_session(clock)
    walk(session, clock, slow=6.0)  # the decision at T+6:36, the resolution at T+1:54
    lines = {line.name: line for line in score_card(session.state, clock.now()).lines}
    assert lines["Time to decision"].verdict is Verdict.MISSED
    assert lines["Time to decision"].measured.startswith("6m36s of the 5m")
    assert lines["Phase 1 Decision and Communication"].measured.endswith("(3m24s over)")
    assert lines["Phase 2 Execute Rollback"].verdict is Verdict.MISSED
    assert lines["Phase 4 Communication and Post-Mortem Prep"].verdict is Verdict.MET
    cadence = lines["Messages on cadence"]
    assert cadence.verdict is Verdict.MISSED
    # First message at T+7:12 (due by T+5), the resolution at T+1:54:00 (due T+28:24):
    # 1h25m36s past due, rounded up to the minute shown (it read 1h25m).
    assert cadence.measured == (
        "2 of 4 on time (first within 5m, then every 20m); latest 1h26m past due"
    )


def test_a_tier_that_does_not_fit_is_missed_with_the_fitting_one_named(
    clock: ManualClock,
) -> None:
    session = drill_session(clock, replace(DRILL, drill="irreversible-migration"))
    walk(session, clock, tier="down-migrations")
    line = next(x for x in score_card(session.state, clock.now()).lines if "tier" in x.name)
    assert line.verdict is Verdict.MISSED
    assert line.measured.startswith("down-migrations does not fit; none does: 0042 only adds")


def test_unchecked_and_ticked_steps_are_missed_while_open(clock: ManualClock) -> None:
    session = drill_session(clock)
    at(session, clock, 2, check("assess-severity"))
    card = score_card(session.state, T0 + timedelta(minutes=12))
    assert not card.closed
    got = {line.name: line for line in card.lines}
    assert got["Phase 1 Decision and Communication"].measured == (
        "not finished by T+12:00 (T+0-5m window)"
    )
    assert got["Time to decision"].measured == (
        "decide-rollback not checked (the 5m Decision and Communication window)"
    )
    assert got["Database tier"].measured.startswith("none chosen; none fits")
    assert got["Messages on cadence"].measured == "none sent (first within 5m, then every 20m)"
    assert got["Evidence on verification steps"].measured == (
        "0 of 2 on evidence (confirm-version: not checked; check-health: not checked)"
    )
    assert card.met == 0


def test_what_is_not_done_while_its_window_is_open_is_not_late(clock: ManualClock) -> None:
    """Scored at T+3, phase 1 (T+0-5m) and the decision were called late, and so was
    phase 4, whose window has no end."""
    session = drill_session(clock)
    at(session, clock, 2, check("assess-severity"))
    card = score_card(session.state, T0 + timedelta(minutes=3))
    got = {line.name: line.text() for line in card.lines}
    assert got["Phase 1 Decision and Communication"] == (
        "Phase 1 Decision and Communication: not finished by T+03:00 (T+0-5m window) "
        "- window still open"
    )
    assert got["Time to decision"] == (
        "Time to decision: decide-rollback not checked (the 5m Decision and Communication "
        "window) - window still open"
    )
    phase_4 = next(line for name, line in got.items() if name.startswith("Phase 4"))
    assert phase_4.endswith("(window from T+45m) - window still open")
    data = score_data(card)["lines"]
    assert [line["verdict"] for line in data][:5] == ["open"] * 5  # type: ignore[index]
    assert card.met == 0


def test_tier_cadence_and_evidence_are_not_missed_before_they_are_due(
    clock: ManualClock,
) -> None:
    """Scored at T+00:16 (a drill killed mid-way), no message, no tier and no
    evidence were called missed, their windows still open (a hostile review)."""
    session = drill_session(clock)
    card = score_card(session.state, T0 + timedelta(seconds=16))
    got = {line.name: line for line in card.lines}
    for name in ("Database tier", "Messages on cadence", "Evidence on verification steps"):
        assert got[name].verdict is Verdict.OPEN, name
        assert got[name].text().endswith("- window still open"), name
    assert got["Messages on cadence"].measured == "none sent yet (first within 5m, then every 20m)"


def test_a_real_incident_has_no_score_card(clock: ManualClock) -> None:
    session = drill_session(clock, replace(DRILL, drill=""))
    with pytest.raises(ValueError, match="is not a drill"):
        score_card(session.state, clock.now())


def test_people_text_in_the_card_is_shown_not_obeyed(clock: ManualClock) -> None:
    session = drill_session(clock)
    at(session, clock, 1, check("assess-severity"))
    session.run(lambda s: commands.check_step(s, "smoke-test", actor=ACTOR, clock=clock))
    overridden = "[bold]ok[/]\x1b[2J"
    at(session, clock, 2, samples("2.4.1", 0.2))
    at(
        session,
        clock,
        3,
        lambda s, c: commands.check_step(
            s, "confirm-version", actor=ACTOR, clock=c, override=overridden
        ),
    )
    text = score_text(score_card(session.state, clock.now()))
    assert "\x1b" not in text
    assert "checked on an override ([bold]ok[/]" in text


def test_the_drill_mark_survives_the_record_and_old_declarations_read() -> None:
    clock = ManualClock(T0)
    session = drill_session(clock)
    declared = session.log.events("INC-D-1")[0]
    assert declared.payload["drill"] == "bad-release"
    assert session.state.drill == "bad-release"
    plain = drill_session(ManualClock(T0), replace(DRILL, drill=""))
    first = plain.log.events("INC-D-1")[0]
    assert "drill" not in first.payload  # a real incident's declaration is as it was
    assert plain.state.drill == ""


def test_every_fitting_tier_is_a_tier_of_the_bundled_runbooks() -> None:
    tiers = {tier.id for tier in load_runbook(resolve_runbook("rollback")).database_tiers}
    for fault in FAULTS.values():
        assert set(fault.fitting_tiers) <= tiers, fault.name
    assert [fault_named(str(name)).name for name in FaultName] == list(FAULTS)
    with pytest.raises(ValueError, match="no fault 'nope' \\(choose bad-release, slow"):
        fault_named("nope")


def test_score_data_names_each_line(clock: ManualClock) -> None:
    session = drill_session(clock)
    walk(session, clock)
    data = score_data(score_card(session.state, clock.now()))
    assert data["fault"] == "bad-release" and data["met"] == data["of"] == 8
    assert isinstance(data["lines"], list) and len(data["lines"]) == 8


@settings(max_examples=60, deadline=None)
@given(gaps=st.lists(st.integers(min_value=1, max_value=60 * 40), max_size=8))
def test_cadence_counts_each_message_against_the_update_it_was_due_by(gaps: list[int]) -> None:
    """Against a model: message k is late when it comes after the previous one (or the
    declaration) by more than the cadence allows."""
    clock = ManualClock(T0)
    session = drill_session(clock)
    first, every = 5 * 60, 20 * 60
    seconds = 0
    late = 0
    for index, gap in enumerate(gaps):
        seconds += gap
        late += gap > (first if index == 0 else every)
        at(session, clock, seconds / 60, send("update"))
    tally = cadence_tally(session.state, clock.now())
    assert (tally.sent, tally.late) == (len(gaps), late)


def test_the_drill_verb_names_every_fault() -> None:
    """`--help` spells the faults out (no domain import); held to the domain's table."""
    from incident.app.verbs_database import DRILL_FAULTS

    assert tuple(FAULTS) == DRILL_FAULTS


def test_a_seed_replays_the_same_draw() -> None:
    drawn = {seed: pick_fault(None, seed).name for seed in range(1, 40)}
    assert drawn == {seed: pick_fault(None, seed).name for seed in range(1, 40)}
    assert set(drawn.values()) == set(FAULTS)  # every fault can come up
    assert pick_fault("flapping-health", 3).name is FaultName.FLAPPING_HEALTH


def test_a_phase_skipped_whole_is_missed_not_done_in_time(clock: ManualClock) -> None:
    """Verification skipped step by step at T+16, well inside its window, is not a
    phase rehearsed: "skipped ... missed", never "done at T+16:00 ... within"."""
    session = drill_session(clock)
    for step in ("confirm-version", "check-health", "smoke-test"):
        at(session, clock, 16, skip(step, "not rehearsed"))
    card = score_card(session.state, T0 + timedelta(minutes=20))
    line = next(x for x in card.lines if x.name == "Phase 3 Verification")
    assert line.verdict is Verdict.MISSED
    assert line.text() == (
        "Phase 3 Verification: skipped at T+16:00, no step checked (T+15-45m window) - missed"
    )


def test_a_once_per_incident_message_sent_again_is_no_update_and_is_called_out(
    clock: ManualClock,
) -> None:
    """Two terminals both sent the announcement, then `send` a third time (a review):
    the score read "6 of 6 on time" and the report "None found". A repeat is no
    stakeholder update, and the report says it went out again."""
    from incident.reports.analysis import inconsistencies

    def by_bo(s: IncidentState, c: ManualClock) -> Any:
        return commands.send_communication(s, actor="Bo", clock=c, template="announce")

    session = drill_session(clock)
    at(session, clock, 1.2, send("announce"))
    at(session, clock, 1.21, by_bo)
    at(session, clock, 1.3, send("paging"))
    at(session, clock, 1.5, send("announce"))
    card = score_card(session.state, clock.now())
    assert "Messages on cadence: 2 of 2 on time" in score_text(card)
    found = [i.text for i in inconsistencies(session.state)]
    assert found == [
        "The announce message, due once per incident, was sent again by Bo: stakeholders "
        "got it twice (first sent by Ada at T+01:12).",
        "The announce message, due once per incident, was sent again by Ada: stakeholders "
        "got it 3 times (first sent by Ada at T+01:12).",
    ]


def test_a_repeat_does_not_move_the_next_update(clock: ManualClock) -> None:
    from incident.core.phase_clocks import next_update_due

    session = drill_session(clock)
    at(session, clock, 1.0, send("announce"))
    due = next_update_due(session.state)
    at(session, clock, 3.0, send("announce"))
    assert next_update_due(session.state) == due == T0 + timedelta(minutes=21)
    at(session, clock, 4.0, send("update"))
    assert next_update_due(session.state) == T0 + timedelta(minutes=24)


def test_a_phase_done_before_its_window_opens_says_how_early(small_runbook) -> None:
    """Verification done at T+02:03 read "done at T+02:03 of its T+15-45m window -
    within": within, but a rehearsing team learns more from how early (a second review
    of the wheel)."""
    clock = ManualClock(T0)
    details = Declaration(title="Drill", severity="SEV2", commander=ACTOR, drill="bad-release")
    event = commands.declare(small_runbook, details, actor=ACTOR, clock=clock)
    session = IncidentSession.declare(MemoryLog(), event, clock)
    at(session, clock, 2 + 3 / 60, check("confirm-version"))
    verify = small_runbook.phases[2]
    line = phase_line(session.state, verify, clock.now())
    assert line.text() == (
        "Phase 3 Verification: done at T+02:03, 12m57s before its T+15-45m window opened - within"
    )
