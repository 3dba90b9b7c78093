"""The resolution sent, and the incident closed, while a rollback trigger is met after
verification (ux_review11 #1): `send` and `close` say so on stderr, still recording
(the coordinator may know more; the record keeps the send and the warning's cause),
and `brief`'s next step is the trigger, not the resolution.

The report's Inconsistencies said it the next day; the same rule
(`incident.health.stability`) now speaks at the moment. `send`, `close` and `brief`
are `lastgood` processes on a real SQLite file; the steps before them run in-process.
"""

from __future__ import annotations

import re

import pytest

from tests.cli_helpers import Cli, declare


@pytest.fixture
def cli(tmp_path):
    return Cli(tmp_path / "incidents.db", actor="Ada")


def verified(cli: Cli) -> str:
    """Decided, rolled back and verified, in-process: the incident's id."""
    setup = cli.in_process()
    incident_id = declare(setup)
    setup.ok("check", incident_id, "assess-severity", "--note", "5xx at 12%")
    setup.ok("channel", incident_id, "#inc-checkout")
    setup.ok("decide", incident_id, "--reason", "checkout broken")
    for template in ("announce", "paging", "initiating"):
        setup.ok("send", incident_id, "--template", template)
    setup.ok("check", incident_id, "app-rollback-blue-green", "--evidence", "back on blue")
    setup.ok("db-tier", incident_id, "none", "--reason", "expand-contract")
    setup.ok("check", incident_id, "confirm-version", "--evidence", "/version says 2.4.0")
    setup.ok("check", incident_id, "check-health", "--evidence", "5xx at 0.2%")
    setup.ok("check", incident_id, "smoke-test", "--evidence", "logged in and checked out")
    return incident_id


MET = r"rollback trigger core-broken met since T\+\d\d:\d\d, after verification"


def test_send_and_close_warn_on_stderr_and_still_record(cli):
    incident_id = verified(cli)
    cli.in_process().ok("trigger", incident_id, "core-broken", "met", "--note", "500s again")

    brief = cli.ok("brief", incident_id)
    next_step = next(line for line in brief.splitlines() if line.startswith("Next step:"))
    assert re.fullmatch(
        r"Next step: re-assess: core-broken met since T\+\d\d:\d\d, after verification "
        r"\(the resolution waits\)",
        next_step,
    ), brief

    sent = cli.run("send", incident_id, "--template", "resolved")
    assert sent.code == 0, sent.err
    assert "message recorded as sent" in sent.out
    assert re.search(
        rf"warning: sent while {MET}: it tells stakeholders the service is restored$",
        sent.err,
        re.MULTILINE,
    ), sent
    assert "warning: sent while" not in sent.out  # stderr, where a pipeline looks

    closed = cli.run("close", incident_id, "--force", "--reason", "handing over")
    assert closed.code == 0, closed.err
    assert re.search(
        rf"warning: closing while {MET}: the guide closes out once the service is stable$",
        closed.err,
        re.MULTILINE,
    ), closed

    report = cli.ok("export", incident_id, "-o", "-")  # the same rule, the next day
    assert "The resolution message went out while rollback triggers were met: core-broken." in (
        report
    )


def test_no_warning_once_the_trigger_is_cleared(cli):
    incident_id = verified(cli)
    setup = cli.in_process()
    setup.ok("trigger", incident_id, "core-broken", "met", "--note", "500s again")
    setup.ok("trigger", incident_id, "core-broken", "cleared", "--note", "fine now")
    brief = cli.ok("brief", incident_id)
    assert "Next step: communicate-resolution" in brief, brief
    sent = cli.run("send", incident_id, "--template", "resolved")
    assert sent.code == 0 and "warning" not in sent.out + sent.err, sent
