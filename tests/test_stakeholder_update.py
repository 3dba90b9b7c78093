"""The stakeholder update's words (ux_review13 #5): after the resolution message it
said "rollback in progress … Next update by none scheduled.", and it could never say
how the service was. `{status}` is resolved from the resolution on (the `resolved_at`
that `status` and `brief` say "resolved at" by), the next-update sentence reads right
when none is due, and `{service_now}` / `{version_now}` say production in a line.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from incident import commands
from incident.core.clock import ManualClock
from incident.core.samples import Outcome, Sample
from incident.reports.message_context import message_context, rendered_templates
from runbooks.model import TEMPLATE_PLACEHOLDERS
from tests.cli_helpers import InProcessCli, declare
from tests.conftest import T0
from tests.drill_walk import ACTOR, at, check, drill_session, samples, send, skip

ROOT = Path(__file__).resolve().parent.parent
PHASE_ONE = (
    (0.5, "assess-severity", ""),
    (0.6, "create-channel", ""),
    (0.7, "assign-commander", ""),
    (1.1, "decide-rollback", ""),
    (1.2, "announce-rollback", "announce"),
    (1.3, "assemble-team", "paging"),
    (1.4, "notify-stakeholders", "initiating"),
)
CLOSE_OUT = (
    "communicate-resolution",
    "document-incident",
    "preliminary-rca",
    "schedule-post-mortem",
)


def test_the_update_after_the_resolution_says_resolved_and_promises_nothing(tmp_path):
    cli = InProcessCli(tmp_path / "incidents.db", actor="Ada")
    incident = declare(cli)
    before = cli.ok("send", incident, "--template", "update", "--preview")
    assert "rollback being decided" in before
    assert "Production: not measured." in before
    assert re.search(r"Next update by \d\d:\d\d UTC\.", before), before
    cli.ok("send", incident, "--template", "resolved")
    after = cli.ok("send", incident, "--template", "update", "--preview")
    assert "rollback resolved" in after, after
    assert "No further updates are scheduled." in after, after
    assert "none scheduled" not in after and "Next update by" not in after


def _tick(clock: ManualClock, *batch: Sample):
    return lambda s: commands.record_samples(s, list(batch), actor="probes", clock=clock)


def test_service_now_says_production_in_stakeholder_words_and_shows_controls():
    clock = ManualClock(T0)
    session = drill_session(clock)
    assert message_context(session.state, clock.now())["service_now"] == "not measured"
    assert message_context(session.state, clock.now())["version_now"] == "not measured"
    clock.advance(60)
    now = clock.now()
    session.run_many(
        _tick(
            clock,
            Sample("health", now, Outcome.HTTP_STATUS, 3.0, 503, detail="HTTP 503"),
            Sample("version", now, Outcome.OK, 4.0, 200, text="2.4.1\x1b[2J"),
            Sample("error-rate", now, Outcome.OK, 5.0, 200, value=0.12),
        )
    )
    context = message_context(session.state, clock.now())
    assert context["service_now"] == (
        "health responding with errors, error rate 12.0% (threshold 5.0%), 2.4.1␛[2J running"
    )
    assert context["version_now"] == "2.4.1␛[2J"
    clock.advance(60)
    now = clock.now()
    session.run_many(
        _tick(
            clock,
            Sample("health", now, Outcome.OK, 3.0, 200),
            Sample("version", now, Outcome.OK, 4.0, 200, text="2.4.0"),
            Sample("error-rate", now, Outcome.OK, 5.0, 200, value=0.005),
        )
    )
    context = message_context(session.state, clock.now())
    assert context["service_now"] == (
        "health responding normally, error rate 0.5% (threshold 5.0%), 2.4.0 running"
    )
    # readings too old to pass for live say when they were taken
    clock.advance(10 * 60)
    stale = message_context(session.state, clock.now())["service_now"]
    taken = (T0 + timedelta(minutes=2)).strftime("%H:%M")
    assert stale == (
        f"health responding normally as of {taken} UTC, "
        f"error rate 0.5% (threshold 5.0%) as of {taken} UTC, 2.4.0 running as of {taken} UTC"
    )


def test_every_placeholder_is_filled_and_in_the_readme_table():
    clock = ManualClock(T0)
    context = message_context(drill_session(clock).state, clock.now())
    assert set(context) == TEMPLATE_PLACEHOLDERS
    readme = (ROOT / "README.md").read_text()
    table = readme.split("### Placeholders", 1)[1].split("\n\n", 3)[2]
    listed = set(re.findall(r"^\| `\{(\w+)\}` \|", table, flags=re.M))
    assert listed == TEMPLATE_PLACEHOLDERS


def _update(session, clock: ManualClock) -> str:
    return rendered_templates(session.state, clock.now())["update"]


def test_the_update_names_the_phase_in_words_that_read_right_through_to_after_the_close():
    """`{phase}` is the runbook's phase title while a phase is worked in; once every phase
    is finished, and once closed (even by force, steps left open), what comes after:
    "now in close-out complete" read wrong, as did the phase a forced close was made in."""
    clock = ManualClock(T0)
    session = drill_session(clock)
    said = [_update(session, clock)]
    for minute, step, template in PHASE_ONE:
        if step == "decide-rollback":
            at(session, clock, minute, approve(step))
        if template:
            at(session, clock, minute, send(template))
        at(session, clock, minute, check(step))
    said.append(_update(session, clock))
    at(session, clock, 6.0, check("app-rollback-blue-green"))
    at(session, clock, 7.0, tier("none"))
    at(session, clock, 7.5, check("database-rollback"))
    for second in range(0, 60, 5):
        at(session, clock, 16.0 + second / 60, samples("2.4.0", 0.004))
    said.append(_update(session, clock))
    at(session, clock, 17.0, check("confirm-version"))
    at(session, clock, 17.1, check("check-health", seen="error rate 0.4%, back to baseline"))
    at(session, clock, 18.0, check("smoke-test", seen="logged in and checked out"))
    said.append(_update(session, clock))
    at(session, clock, 19.0, send("resolved"))
    for minute, step in enumerate(CLOSE_OUT, start=20):
        at(session, clock, minute, check(step))
    said.append(_update(session, clock))  # every phase done, still open
    at(session, clock, 25.0, lambda s, c: commands.close(s, actor=ACTOR, clock=c))
    said.append(_update(session, clock))
    found = [re.search(r"rollback ([a-z ,]+), now in ([^.]+)\. Production", text) for text in said]
    assert [m.groups() if m else text for m, text in zip(found, said, strict=True)] == [
        ("being decided", "Decision and Communication"),
        ("in progress", "Execute Rollback"),
        ("done, verifying the service", "Verification"),
        ("done, service verified, resolution to follow", "Communication and Post-Mortem Prep"),
        ("resolved", "post-mortem"),
        ("resolved", "post-mortem"),
    ]
    # closed by force in phase 1: no phase is worked in any more
    clock = ManualClock(T0)
    forced = drill_session(clock)
    close = lambda s, c: commands.close(s, actor=ACTOR, clock=c, force=True, reason="no bug")  # noqa: E731
    at(forced, clock, 3.0, close)
    assert "rollback resolved, now in post-mortem. Production" in _update(forced, clock)


def approve(step: str):
    return lambda s, c: commands.approve(s, step, by=ACTOR, reason="5%", actor=ACTOR, clock=c)


def tier(name: str):
    return lambda s, c: commands.choose_database_tier(s, name, reason="e-c", actor=ACTOR, clock=c)


def test_status_says_a_skipped_rollback_and_a_verified_service_as_the_record_has_them():
    """`{status}` follows the record past the decision (msgwords #1): the application's
    rollback step skipped reads "skipped", and once every verification step is checked
    the update says the service is verified and the resolution is to follow, where it
    said "rollback in progress" until the resolution message."""
    clock = ManualClock(T0)
    session = drill_session(clock)
    at(session, clock, 1.0, approve("decide-rollback"))
    at(session, clock, 1.1, check("decide-rollback"))
    status = lambda: message_context(session.state, clock.now())["status"]  # noqa: E731
    assert status() == "in progress"
    at(session, clock, 6.0, skip("app-rollback-blue-green", "the flag was switched off"))
    assert status() == "skipped, verifying the service"
    for second in range(0, 60, 5):
        at(session, clock, 16.0 + second / 60, samples("2.4.0", 0.004))
    at(session, clock, 17.0, check("confirm-version"))
    at(session, clock, 17.1, check("check-health", seen="error rate 0.4%, back to baseline"))
    assert status() == "skipped, verifying the service"
    at(session, clock, 18.0, check("smoke-test", seen="logged in and checked out"))
    assert status() == "skipped, service verified, resolution to follow"
    at(session, clock, 19.0, send("resolved"))
    assert status() == "resolved"


def test_the_resolution_says_a_rollback_only_when_the_record_shows_one():
    """The bundled `resolved` said "We performed a rollback to 2.4.0" in fixed text of an
    incident resolved with the rollback step skipped (msgwords #2): `{rollback_sentence}`
    says what was done; the guide's "be transparent that a rollback was performed"
    holds when one was."""
    clock = ManualClock(T0)
    session = drill_session(clock)
    at(session, clock, 1.0, approve("decide-rollback"))
    at(session, clock, 1.1, check("decide-rollback"))
    resolved = lambda: rendered_templates(session.state, clock.now())["resolved"]  # noqa: E731
    assert "The rollback to 2.4.0 is not confirmed yet." in resolved()  # the step open
    at(session, clock, 6.0, check("app-rollback-blue-green"))
    assert resolved() == (
        "Resolved: Drill: checkout errors. Service is restored. We performed a rollback "
        "to 2.4.0. A blameless post-mortem will follow."
    )
    clock = ManualClock(T0)
    skipped = drill_session(clock)
    at(skipped, clock, 6.0, skip("app-rollback-blue-green", "fixed forward"))
    said = rendered_templates(skipped.state, clock.now())["resolved"]
    assert "Service is restored. No rollback was performed. A blameless" in said, said
    assert "performed a rollback" not in said


def test_a_rollback_run_and_never_checked_is_not_said_not_performed():
    """The rollback step's command ran, exit 0, and no one checked the step: the
    resolution said "No rollback was performed." and the report "not rolled back";
    both say what the record bears out, the run, and that it was not confirmed."""
    from incident.reports.rollback_state import rollback_sentence

    clock = ManualClock(T0)
    session = drill_session(clock)
    at(session, clock, 1.0, approve("decide-rollback"))
    at(session, clock, 1.1, check("decide-rollback"))
    switch = "lb switch --to blue"
    at(
        session,
        clock,
        6.0,
        lambda s, c: commands.record_command(
            s,
            "app-rollback-blue-green",
            command=switch,
            exit_code=0,
            output_tail="switched",
            actor=ACTOR,
            clock=c,
        ),
    )
    said = rendered_templates(session.state, clock.now())["resolved"]
    assert "Service is restored. We ran the rollback to 2.4.0; it is not confirmed yet." in said
    assert "No rollback was performed" not in said
    assert rollback_sentence(session.state) == (
        "the rollback command of 2.4.1 to 2.4.0 ran (exit 0); its step was not checked yet"
    )
    at(
        session,
        clock,
        40.0,
        lambda s, c: commands.close(s, actor=ACTOR, clock=c, force=True, reason="r"),
    )
    assert rollback_sentence(session.state).endswith("its step was not checked before the close")
