"""A webhook delivery that failed for good and was re-sent, as people read it afterwards.

A review found the timeline and the report showing such a message as plainly
`(delivered to team)` and the deliveries as `1 delivered`, and the re-send recorded
as done by "lastgood". Here the CLI runs as a team runs it, against a real receiver
answering 500 and a real database file: the message fails every try, Bo re-sends it,
it arrives; then `timeline`, `export` (the report) and the JSON record are read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli_helpers import Cli, InProcessCli
from tests.test_cli_messages import declare, events, run, setup
from tests.webhook_receivers import WebhookReceiver, fail_first

TIME = r"\d\d:\d\d:\d\d"


@pytest.fixture(scope="module")
def resent(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, str]:
    """An incident whose auto message failed 2 tries for good, then was re-sent by Bo."""
    import asyncio

    async def build() -> tuple[Cli, str]:
        tmp_path: Path = tmp_path_factory.mktemp("resent")
        async with WebhookReceiver(fail_first(2)) as hook:
            cli, runbook = setup(tmp_path, hook, InProcessCli)
            declared = await declare(cli, runbook)
            incident_id = declared.out.splitlines()[0]
            failed = await run(cli, "deliver", incident_id, "--attempts", "2", "--wait", "5")
            assert failed.code == 1, failed
            assert "Delivery to team FAILED after 2 tries: HTTP 500" in failed.out
            cli.env["LASTGOOD_USER"] = "Bo"
            again = await run(cli, "deliver", incident_id, "--resend-failed", "--wait", "5")
            assert again.code == 0, again.err
            cli.env["LASTGOOD_USER"] = "ada"
            assert len(hook.accepted_keys()) == 1
        return cli, incident_id

    return asyncio.run(build())


def _message_line(document: str) -> str:
    (line,) = [
        line for line in document.splitlines() if "Message sent" in line and "Initiating" in line
    ]
    return line


OUTCOME = re.compile(
    rf"\(delivered to team at {TIME}, after 2 failed tries, "
    rf"HTTP 500 \(expected 2xx\)[^,;)]*, re-sent by Bo\)$"
)

SUMMARY = (
    "Webhook deliveries: 1 to 1 target: 1 delivered (1 after a re-send). "
    "Failed for good: 1 delivery, 2 tries in all "
    '(last error HTTP 500 (expected 2xx): {"ok": false}); '
    "re-sent once, by Bo."
)


def test_the_timeline_says_the_message_failed_and_was_re_sent(resent) -> None:
    cli, incident_id = resent
    timeline = cli.ok("timeline", incident_id)
    line = _message_line(timeline)
    assert OUTCOME.search(line), line
    summary = timeline.rstrip().splitlines()[-1]
    assert summary == SUMMARY, summary


def test_the_report_says_it_too(resent) -> None:
    cli, incident_id = resent
    report = cli.ok("export", incident_id, "--format", "markdown")
    assert OUTCOME.search(_message_line(report)), _message_line(report)
    assert SUMMARY in report.splitlines()


def test_the_re_send_is_recorded_as_by_the_person_who_asked(resent) -> None:
    cli, incident_id = resent
    (requeued,) = [e for e in events(cli, incident_id) if e["kind"] == "notification.requeued"]
    assert requeued["actor"] == "Bo"
    assert requeued["payload"]["by"] == "Bo"  # type: ignore[index]


def _record(tmp_path: Path, *, error: str, by: str, then: str) -> tuple[str, str]:
    """A message to `team` that fails 8 tries for good with `error`, is re-sent by `by`,
    then (`then`) is delivered on its 2nd try, fails again, or is still pending: built
    through the application layer into a real database file; its report and timeline."""
    from incident import commands
    from incident.app.session import IncidentSession
    from incident.comms.notifications import delivery_outcome, queued, requeued
    from incident.comms.routing import OutboxMessage, message_key
    from incident.core.clock import ManualClock
    from incident.reports.report import markdown_report
    from incident.reports.timeline import markdown_timeline
    from store import SqliteEventLog
    from tui.demo.scenarios import SCENARIO_T0, bundled_runbook

    clock = ManualClock(SCENARIO_T0)
    details = commands.Declaration(title="t", severity="SEV2", commander="ada")
    declared = commands.declare(bundled_runbook(), details, actor="ada", clock=clock)
    with SqliteEventLog.open(tmp_path / "r.db") as log:
        session = IncidentSession.declare(log, declared, clock)
        sent = session.run(
            lambda s: commands.send_communication(s, actor="ada", clock=clock, text="x")
        )
        key = message_key(sent.incident_id, sent.seq, "team")
        message = OutboxMessage(key, sent.incident_id, "team", "x", sent.at)
        session.run_many(lambda s: queued(s, [message], actor="lastgood", clock=clock))
        outcome = {"key": key, "target": "team", "actor": "lastgood", "clock": clock}
        clock.advance(60)
        session.run_many(
            lambda s: delivery_outcome(  # type: ignore[arg-type]
                s, delivered=False, attempts=8, error=error, final=True, **outcome
            )
        )
        clock.advance(60)
        session.run_many(lambda s: requeued(s, key, actor=by, clock=clock))
        clock.advance(3)
        if then != "pending":
            session.run_many(
                lambda s: delivery_outcome(  # type: ignore[arg-type]
                    s,
                    delivered=then == "delivered",
                    attempts=2 if then == "delivered" else 8,
                    error=error,
                    final=True,
                    **outcome,
                )
            )
        state, events = session.state, list(log.events(sent.incident_id))
    now = clock.now()
    return markdown_report(state, events, now), markdown_timeline(state, events, now)


def _message(document: str) -> str:
    (line,) = [line for line in document.splitlines() if "Message sent: x" in line]
    return line


def test_each_outcome_after_a_failure_is_said(tmp_path: Path) -> None:
    report, timeline = _record(tmp_path, error="HTTP 500: boom", by="Ada", then="delivered")
    for document in (report, timeline):
        assert _message(document).endswith(
            "(delivered to team at 09:02:03, after 9 failed tries, HTTP 500: boom, re-sent by Ada)"
        ), _message(document)
        assert (
            "Webhook deliveries: 1 to 1 target: 1 delivered (1 after a re-send). Failed for "
            "good: 1 delivery, 8 tries in all (last error HTTP 500: boom); re-sent once, by Ada."
        ) in document.splitlines()
    report, timeline = _record(tmp_path / "b", error="timeout", by="Ada", then="failed")
    assert _message(timeline).endswith(
        "(delivery to team failed for good after 16 tries, re-sent by Ada in between: timeout)"
    )
    assert timeline.rstrip().endswith(
        "Webhook deliveries: 1 to 1 target: 0 delivered, 1 failed. Failed for good: "
        "1 delivery, 16 tries in all (last error timeout); re-sent once, by Ada."
    )
    report, timeline = _record(tmp_path / "c", error="timeout", by="Ada", then="pending")
    assert _message(report).endswith(
        "(delivery to team pending, after 8 failed tries, timeout, re-sent by Ada)"
    )


def test_an_error_and_a_name_from_the_record_stay_text(tmp_path: Path) -> None:
    """The error is what a receiver answered; the name, one an older record may hold."""
    from tests.golden.markdown_checks import html_tokens, tokens
    from tests.hostile import hostile, raw_controls

    report, timeline = _record(tmp_path, error=hostile("error"), by=hostile("by"), then="delivered")
    for document in (report, timeline):
        assert raw_controls(document.encode()) == []
        assert html_tokens(tokens(document)) == []
        line = _message(document)
        assert "end-error" in line and "end-by" in line
        assert line.count("\\[/bold\\]") == 2 and line.count("␛") >= 4  # shown, not obeyed


async def test_status_names_the_command_that_re_sends_what_failed(tmp_path: Path) -> None:
    """`status` said `webhooks: 0 pending, 0 delivered, 4 failed` and no more (a review)."""
    from tests.webhook_receivers import always

    async with WebhookReceiver(always(500)) as hook:
        cli, runbook = setup(tmp_path, hook, InProcessCli)
        incident_id = (await declare(cli, runbook)).out.splitlines()[0]
        failed = await run(cli, "deliver", incident_id, "--attempts", "1", "--wait", "5")
        assert failed.code == 1, failed
    status = Cli(cli.db, actor="ada").ok("status", incident_id)  # as a user runs it
    (webhooks,) = [line for line in status.splitlines() if line.startswith("webhooks:")]
    assert webhooks == (
        "webhooks: 0 pending, 0 delivered, 1 failed; "
        f"re-send them: lastgood deliver {incident_id} --resend-failed"
    )
