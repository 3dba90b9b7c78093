"""What "verified" means: every verification step checked (ux_review7 F2, F3; ux_review8 #7).

The guide's Phase 3: "you must verify that the service is restored", by Confirm
version, Check health and Smoke test. With two of the three skipped, `status` read the
Verification phase DONE, the report said "service was verified" at the moment Check
health was checked, the timeline and the invitation starred it, and the `resolved`
message went out with no warning. A skipped step verified nothing: each face now says
which were skipped. And the smoke test, which no probe backs, was a bare tick: it now
needs what was tested and seen (`--evidence`), as the probe-backed steps refuse a tick.

Each verb a test is about (send, check, and the faces: status, export, timeline, ics)
is a separate `lastgood` process on a real SQLite file, as a user runs it; the steps
that bring the incident to that point run the same `main` in-process.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.cli_helpers import Cli, declare

VERIFY = ("confirm-version", "check-health", "smoke-test")


@pytest.fixture
def cli(tmp_path):
    return Cli(tmp_path / "incidents.db", actor="Ada")


def rolled_back(cli: Cli) -> str:
    """An incident decided and rolled back (phase 2 done), in-process: its id."""
    setup = cli.in_process()
    incident_id = declare(setup)
    setup.ok("decide", incident_id, "--reason", "checkout broken")
    setup.ok("check", incident_id, "app-rollback-blue-green", "--evidence", "back on blue")
    setup.ok("db-tier", incident_id, "none", "--reason", "expand-contract")
    return incident_id


def unfolded(ics: str) -> str:
    """An iCalendar text with its folded lines joined and its escapes undone."""
    return ics.replace("\r\n ", "").replace("\n ", "").replace("\\,", ",").replace("\\n", "\n")


def test_two_of_three_skipped_is_not_verified_anywhere(cli):
    incident_id = rolled_back(cli)
    setup = cli.in_process()
    setup.ok("skip", incident_id, "confirm-version", "--reason", "no time")
    setup.ok("skip", incident_id, "smoke-test", "--reason", "no time")
    setup.ok("check", incident_id, "check-health", "--evidence", "looks ok")

    sent = cli.run("send", incident_id, "--template", "resolved")
    assert sent.code == 0, sent.err
    assert (
        "warning: sent while the service is not verified (confirm-version, smoke-test "
        "skipped): it tells stakeholders it is restored"
    ) in sent.out + sent.err

    status = cli.ok("status", incident_id)
    assert re.search(
        r"^Verification  \(T\+15-45\)  DONE  not verified: confirm-version, smoke-test skipped$",
        status,
        re.MULTILINE,
    ), status
    data = json.loads(cli.ok("status", incident_id, "--json"))
    assert data["verification"] == {
        "verified": False,
        "skipped": ["confirm-version", "smoke-test"],
        "open": [],
    }

    report = cli.ok("export", incident_id, "-o", "-")
    assert "service was verified at" not in report
    assert "the service was not verified (confirm-version, smoke-test skipped)" in report
    assert (
        "| Service verified | — | — | — | not verified: confirm-version, smoke-test skipped |"
        in report
    )
    assert "**Service verified**" not in report  # no key moment starred in the timeline
    assert "on time; not verified: confirm-version, smoke-test skipped |" in report

    timeline = cli.ok("timeline", incident_id)
    assert "- Service verified: no, confirm-version, smoke-test skipped" in timeline
    assert "★ Service verified" not in timeline

    at = (datetime.now(UTC) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:00:00Z")
    cli.ok("schedule-postmortem", incident_id, "--at", at, "--attendees", "Ada,Bo")
    ics = unfolded(cli.ok("ics", incident_id, "-o", "-"))
    assert "Service verified: no, confirm-version, smoke-test skipped" in ics


def test_every_step_checked_is_verified_at_the_last_of_them(cli):
    """The moment is the last check, the smoke test here: it was Check health's, with
    the smoke test checked after it."""
    incident_id = rolled_back(cli)
    setup = cli.in_process()
    setup.ok("check", incident_id, "confirm-version", "--evidence", "/version says 2.4.0")
    setup.ok("check", incident_id, "check-health", "--evidence", "5xx at 0.2%")
    cli.ok("check", incident_id, "smoke-test", "--evidence", "logged in and checked out")

    sent = cli.run("send", incident_id, "--template", "resolved")
    assert sent.code == 0 and "warning" not in sent.out + sent.err

    status = cli.ok("status", incident_id)
    assert re.search(r"^Verification  \(T\+15-45\)  DONE$", status, re.MULTILINE), status
    data = json.loads(cli.ok("status", incident_id, "--json"))
    assert data["verification"] == {"verified": True, "skipped": [], "open": []}
    timeline = cli.ok("timeline", incident_id)
    assert re.search(r"- ★ Service verified: T\+\S+ .*\(smoke-test checked by Ada\)", timeline)


def test_one_open_the_resolved_message_still_warns(cli):
    incident_id = rolled_back(cli)
    cli.in_process().ok("check", incident_id, "check-health", "--evidence", "5xx at 0.2%")
    sent = cli.run("send", incident_id, "--template", "resolved")
    assert (
        "warning: sent while the service is not verified yet (confirm-version, smoke-test open)"
    ) in sent.out + sent.err


def test_the_smoke_test_is_not_checked_by_a_bare_tick(cli):
    """A verification step no probe backs: a tick (or a note) is refused, before the
    rollback as after it, and the refusal names `--evidence`; what was seen is recorded
    as its evidence."""
    incident_id = declare(cli.in_process())
    for extra in ((), ("--note", "fine")):
        refused = cli.run("check", incident_id, "smoke-test", *extra)
        assert refused.code == 2 and refused.out == ""
        assert refused.err.splitlines() == [
            "lastgood check: a tick is not evidence: no probe backs 'smoke-test', so "
            "checking it needs what was tested and seen, typed by hand (--evidence)"
        ]
    data = json.loads(cli.ok("status", incident_id, "--json"))
    smoke = next(s for s in data["steps"] if s["id"] == "smoke-test")
    assert (smoke["kind"], smoke["state"]) == ("verification", "open")

    cli.ok("check", incident_id, "smoke-test", "--evidence", "logged in, bought a test item")
    data = json.loads(cli.ok("status", incident_id, "--json"))
    smoke = next(s for s in data["steps"] if s["id"] == "smoke-test")
    assert (smoke["state"], smoke["evidence"]) == ("done", "logged in, bought a test item")
    report = cli.ok("export", incident_id, "-o", "-")
    assert "| smoke-test | done |" in report and "logged in, bought a test item" in report
