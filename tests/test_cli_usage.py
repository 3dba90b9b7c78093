"""The command line used wrongly, and asked for help, on a real SQLite file.

Every refusal is one line with exit 2 and records nothing; a refused declaration
leaves no database behind; every verb has its help.
"""

from __future__ import annotations

import pytest

from tests.cli_helpers import InProcessCli, declare
from tests.cli_status import status


@pytest.fixture
def cli(tmp_path):
    return InProcessCli(tmp_path / "incidents.db")


DECLARE_SEV1 = ("declare", "--title", "x", "--severity", "SEV1", "--commander", "A")
IMPACT = ("measure-impact", "{id}", "--failed", "f", "--total", "t", "--prometheus")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "{id}", "no-such-step"), "unknown step 'no-such-step'"),
        (("skip", "{id}", "assess-severity", "--reason", " "), "needs a reason"),
        (("check", "INC-0-NOPE", "x"), "no incident 'INC-0-NOPE'"),
        (("declare", "--title", "x", "--severity", "SEV7", "--commander", "A"), "unknown severity"),
        (("declare", "--title", "x", "--severity", "SEV1"), "required: --commander"),
        ((*DECLARE_SEV1, "--eta", "soon"), "not a whole number"),
        ((*DECLARE_SEV1, "--runbook", "nope"), "runbook"),
        ((*DECLARE_SEV1, "--started-at", "yesterday"), "--started-at"),
        ((*DECLARE_SEV1, "--started-at", "0001-01-01T00:00:00+01:00"), "out of range"),
        (
            (*DECLARE_SEV1, "--started-at", "1970-01-01T00:00:00Z"),
            "lastgood declare: the impact cannot start more than 7 days ago "
            "(the longest phase window) (--started-at)\n",
        ),
        (("schedule-postmortem", "{id}", "--at", "9999-12-31T23:59:59-01:00"), "out of range"),
        (("approve", "{id}", "assess-severity", "--by", "A", "--reason", "r"), "no approval gate"),
        (("db-tier", "{id}", "yolo", "--reason", "r"), "unknown database tier"),
        (
            ("assign", "{id}", "lead", "Bo"),
            "lastgood assign: unknown role 'lead' (roles: incident-commander, "
            "deployment-coordinator, comms-lead, ops, leadership)\n",
        ),
        (
            ("assign", "{id}", "leadrship", "Bo"),
            "unknown role 'leadrship' (did you mean 'leadership'? roles: incident-commander,",
        ),
        (("export", "{id}", "--format", "pdf"), "invalid choice"),
        (
            ("check", "{id}", "assess-severity", "--bogus"),
            "lastgood check: error: unrecognized arguments: --bogus (see --help)\n",
        ),
        (("note", "--frob", "{id}", "x"), "lastgood note: error: unrecognized arguments: --frob"),
        (("verify",), "give an incident ID or --all"),
        (("verify", "INC-0-NOPE"), "no incident 'INC-0-NOPE'"),
        (("--db", "", "list"), "--db needs a path or a postgresql:// URL, not an empty string"),
        (("status", "{id}", "--db="), "--db needs a path"),
        (("check", "{id}", "nope\r\nsecond line"), "unknown step 'nope␍␊second line'"),
        (("status", "x\rlastgood status: all good"), "no incident 'x␍lastgood status: all good'"),
        ((*DECLARE_SEV1, "--eta", "so\non"), "'so␊on'"),
        ((*DECLARE_SEV1, "--eta", "6000000000"), "more than a year"),
        (("timeline", "{id}", "--gap=inf"), "'inf' is not a finite number"),
        (("timeline", "{id}", "--gap=1e308"), "--gap must be more than zero minutes and at most"),
        (("baseline", "{id}", "error-rate", "--value", "nan"), "'nan' is not a finite number"),
        (("baseline", "{id}", "error-rate", "--value=-inf"), "'-inf' is not a finite number"),
        (("deliver", "{id}", "--wait", "inf"), "--wait: 'inf' seconds is more than a year"),
        (("deliver", "{id}", "--wait", "1_0"), "--wait: '1_0' is not a number of seconds"),
        ((*DECLARE_SEV1, "--eta", "1_5"), "'1_5' is not a whole number"),
        (
            ("replay", "{id}", "--speed", "1e14"),
            "--speed must be more than zero and at most 10,000",
        ),
        ((*IMPACT, "http://[::1"), "--prometheus: invalid URL 'http://[::1': Invalid IPv6 URL"),
        (
            (*IMPACT, "http://h:99999"),
            "--prometheus: invalid URL 'http://h:99999': Port out of range",
        ),
        (
            (*IMPACT, "http://a:hunter2@h:99999"),
            "--prometheus: invalid URL 'http://a:…@h:99999': Port out of range",
        ),
        (("frobnicate",), "lastgood: error: unknown verb 'frobnicate' (see --help)\n"),
        (("chek", "{id}"), "lastgood: error: unknown verb 'chek' (did you mean 'check'?) (see"),
        (("follow", "{id}"), "unknown verb 'follow' (did you mean 'attach'?) (see"),
    ],
)
def test_errors_are_one_line_with_exit_2(cli, args, message):
    incident_id = declare(cli)
    before = status(cli, incident_id)["events"]
    result = cli.run(*(a.replace("{id}", incident_id) for a in args))
    assert result.code == 2, result
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "Traceback" not in result.err
    assert status(cli, incident_id)["events"] == before


def test_every_subcommand_has_help(cli):
    import argparse

    from tui.cli.parser import NO_RECORD_VERBS, build_parser

    top = cli.ok("--help")
    subparsers = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    verbs = sorted(subparsers.choices)
    assert {"declare", "check", "close", "export", "verify", "validate", "replay"} <= set(verbs)
    assert len(verbs) >= 30
    for verb in verbs:
        assert verb in top
        help_text = cli.ok(verb, "--help")
        assert help_text.startswith("usage: lastgood " + verb), verb
        # Offered where the verb opens the record (tests/test_cli_offered_options.py).
        assert ("--db" in help_text) == (verb not in NO_RECORD_VERBS), verb


def test_export_to_a_directory_is_refused_and_leaves_no_scratch_file(cli, tmp_path):
    incident_id = declare(cli)
    out = tmp_path / "reports" / "out"
    out.mkdir(parents=True)
    for verb in ("export", "timeline"):
        result = cli.run(verb, incident_id, "-o", str(out))
        assert result.code == 2, result
        assert result.err.strip() == f"lastgood {verb}: {out}: cannot write: Is a directory"
    assert [p.name for p in out.parent.iterdir()] == ["out"] and not any(out.iterdir())


def test_a_refused_declaration_creates_no_record(tmp_path):
    """A declaration the use case refuses (a start more than 7 days back, a blank title)
    left an empty database behind where none was."""
    db = tmp_path / "never.db"
    for refused_args in (
        ("--started-at", "1970-01-01T00:00:00Z"),
        ("--severity", "SEV1", "--title", " "),
    ):
        ran = InProcessCli(db).run(*DECLARE_SEV1, *refused_args)
        assert ran.code == 2 and ran.err.count("\n") == 1, ran.err
        assert not db.exists() and not list(tmp_path.iterdir())
