"""Every verb's output over a hostile corpus: text is shown, never obeyed.

Each field a person can type gets markup look-alikes and terminal control
sequences (screen clear, window title, OSC 52 clipboard write, BEL, C1 CSI, DEL);
a person's or a team's name gets the markup look-alikes alone, as a control in a
name is refused where it is typed (`tests/test_names_refused_cli.py`), and names
holding escapes, as an older version recorded them, are read by every reading verb
here too. Every byte each verb writes (stdout, stderr and exported files) is then searched
for raw ESC, BEL, NUL, DEL and C1 controls; the JSON outputs must still hold the
exact text.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.cli_helpers import ROOT, InProcessCli, lastgood_command
from tests.hostile import ESCAPES, hostile, hostile_line, markup_name, raw_controls
from tui.demo.launch import write_demo_runbook


class RawCli:
    """`lastgood` as a process, every output kept as bytes and checked."""

    def __init__(self, db: Path, actor: str) -> None:
        self.env = {
            **os.environ,
            "LASTGOOD_DB": str(db),
            "LASTGOOD_ACTOR": actor,
            "PYTHONPATH": str(ROOT),
        }
        self.outputs: dict[str, bytes] = {}

    def run(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        done = subprocess.run(
            [*lastgood_command(), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            timeout=60,
            check=False,
        )
        name = " ".join(args[:1])
        self.outputs[f"{name} {len(self.outputs)} stdout"] = done.stdout
        self.outputs[f"{name} {len(self.outputs)} stderr"] = done.stderr
        return done

    def ok(self, *args: str) -> str:
        done = self.run(*args)
        assert done.returncode == 0, f"lastgood {args[0]} failed: {done.stderr!r}"
        return done.stdout.decode("utf-8")


def read_back(cli: RawCli, incident_id: str) -> str:
    """`status --json` run in this process: a read-back around the verb a test is about,
    which keeps its process (and its bytes checked)."""
    same = InProcessCli(Path(cli.env["LASTGOOD_DB"]))
    same.env = dict(cli.env)
    return same.ok("status", incident_id, "--json")


def test_every_verb_shows_hostile_text_and_emits_no_control_bytes(tmp_path):
    cli = RawCli(tmp_path / "hostile.db", actor=markup_name("actor"))
    title = hostile_line("title")
    incident_id = cli.ok(
        "declare",
        "--title",
        title,
        "--severity",
        "SEV2",
        "--commander",
        markup_name("commander"),
        "--issue",
        hostile_line("issue"),
        "--channel",
        hostile_line("channel"),
        "--from-version",
        hostile_line("from"),
        "--last-good",
        hostile_line("last-good"),
        "--eta",
        "20",
    ).strip()
    assert incident_id.startswith("INC-")
    cli.ok("check", incident_id, "assess-severity", "--note", hostile("note"), "--by", "Ada")
    # The declaration named the channel, which did create-channel: reopened, then skipped.
    cli.ok("reopen", incident_id, "create-channel", "--reason", hostile("reopen"))
    cli.ok("skip", incident_id, "create-channel", "--reason", hostile("skip"))
    cli.ok(
        "approve",
        incident_id,
        "decide-rollback",
        *("--by", markup_name("commander"), "--reason", hostile("r")),
    )
    cli.ok("check", incident_id, "decide-rollback")
    cli.ok("db-tier", incident_id, "none", "--reason", hostile("tier"))
    cli.ok("note", incident_id, hostile("note-text") + "\nsecond line\tafter a tab")
    cli.ok("note", incident_id, hostile("pinned"), "--pin")
    cli.ok("assign", incident_id, "comms-lead", markup_name("person"))
    cli.ok("page", incident_id, markup_name("team"), "--note", hostile("page-note"))
    cli.ok("send", incident_id, "--text", hostile("message"), "--channel", hostile_line("chan"))
    cli.ok("send", incident_id, "--template", "initiating")
    cli.ok("decline", incident_id, "announce", "--reason", hostile("decline"))
    cli.ok("severity", incident_id, "SEV1", "--reason", hostile("sev"))
    cli.ok("handoff", incident_id, markup_name("new-ic"), "--reason", hostile("handoff"))
    cli.ok("close", incident_id, "--force", "--reason", hostile("close"))
    cli.ok("rca", incident_id, hostile("rca"))
    cli.ok("action", incident_id, hostile("action"), "--owner", markup_name("owner"))
    cli.ok("lesson", incident_id, hostile("lesson"))
    cli.ok(
        "schedule-postmortem",
        incident_id,
        "--at",
        "2030-01-01T10:00:00Z",
        "--attendees",
        markup_name("a1") + "," + markup_name("a2"),
        "--force",
        "--reason",
        hostile("pm"),
    )
    refused = cli.run("check", incident_id, hostile("no-such-step"))
    assert refused.returncode == 2

    status_text = cli.ok("status", incident_id)
    status_json = json.loads(cli.ok("status", incident_id, "--json"))
    listed = cli.ok("list")
    listed_json = json.loads(cli.ok("list", "--json"))
    report = cli.ok("export", incident_id)
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    cli.ok("export", incident_id, "--format", "ics")
    cli.ok("ics", incident_id)
    cli.ok("timeline", incident_id)
    cli.ok("replay", incident_id, "--json", "--at", "T+00:01")
    cli.ok("verify", incident_id)
    cli.ok("verify", "--all")
    for output in ("report.md", "record.json", "timeline.md", "meeting.ics"):
        fmt = {"report.md": "markdown", "record.json": "json", "meeting.ics": "ics"}
        if output == "timeline.md":
            cli.ok("timeline", incident_id, "-o", str(tmp_path / output))
        else:
            cli.ok("export", incident_id, "--format", fmt[output], "-o", str(tmp_path / output))
        cli.outputs[output] = (tmp_path / output).read_bytes()

    leaks = {name: raw_controls(data) for name, data in cli.outputs.items()}
    assert {name: found for name, found in leaks.items() if found} == {}
    assert len(cli.outputs) >= 60

    # Shown as written: the markup look-alikes survive, the escapes are visible.
    assert "pod [checkout-7f9]" in status_text and "[/bold]" in status_text
    assert "␛]52;c;Y3VybCBldmlsfHNo␇" in status_text
    assert "␛]0;pwned␇" in listed and "\\x9b31m" in listed
    assert "[@click=app.quit]x[/]" in listed
    assert f"commander: {markup_name('new-ic')}" in status_text  # a name, as written
    assert "␛]52;c;Y3VybCBldmlsfHNo␇" in report
    assert "pod \\[checkout-7f9\\]" in report
    # A note's lines are kept in its fenced block; the title stays on one line.
    assert "\nsecond line\tafter a tab" in report
    assert len([line for line in status_text.splitlines() if "end-title" in line]) == 1

    # JSON keeps the exact text, escaped.
    assert status_json["title"] == title
    assert listed_json[0]["title"] == title
    notes = [e for e in record["events"] if e["kind"] == "note.added"]
    assert notes[0]["payload"]["text"] == hostile("note-text") + "\nsecond line\tafter a tab"
    assert record["events"][0]["actor"] == markup_name("actor")


def _record_names_written_before(path: Path) -> str:
    """An incident whose names hold escapes, as a version that took any name wrote it:
    the commander, a role's holder, the team paged, the new commander, an approver, an
    action item's owner, and who recorded each event."""
    from incident import commands
    from incident.app.session import IncidentSession
    from incident.commands import Declaration
    from incident.core.clock import ManualClock
    from incident.core.events import NewEvent
    from incident.core.state import IncidentState
    from store.sqlite_log import SqliteEventLog
    from tests.conftest import T0
    from tests.golden.incidents import older_approval
    from tests.hostile import written_before
    from tui.demo.scenarios import bundled_runbook

    clock = ManualClock(T0)
    actor = hostile("actor")[:150]
    with SqliteEventLog.open(path) as log:
        declared = commands.declare(
            bundled_runbook(),
            Declaration(title="t", severity="SEV2", commander="Ada"),
            actor=actor,
            clock=clock,
        )
        log.append([written_before(declared, commander=hostile("commander")[:150])])
        session = IncidentSession(log, declared.incident_id, clock)

        def named(field: str, label: str, command: Callable[[IncidentState], NewEvent]) -> None:
            """`command`'s event with the hostile `label` as its `field`, as written then."""
            clock.advance(30)
            session.run(lambda s: written_before(command(s), **{field: hostile(label)[:150]}))

        named(
            "person",
            "person",
            lambda s: commands.assign_role(s, "comms-lead", "Bo", actor=actor, clock=clock),
        )
        named("target", "team", lambda s: commands.record_page(s, "ops", actor=actor, clock=clock))
        named(
            "by",
            "by",
            lambda s: older_approval(
                s, "decide-rollback", by="Cy", reason="r", actor=actor, clock=clock
            ),
        )
        named("to", "new-ic", lambda s: commands.hand_off(s, "Di", actor=actor, clock=clock))
        named(
            "owner",
            "owner",
            lambda s: commands.add_action_item(s, "a", owner="Ed", actor=actor, clock=clock),
        )
    return declared.incident_id


def test_names_an_older_version_recorded_with_escapes_are_shown_as_text(tmp_path):
    """Refusing a control in a name is an entry rule: a record holding such names reads,
    folds and shows them as every other text, in every reading verb."""
    incident_id = _record_names_written_before(tmp_path / "older.db")
    cli = RawCli(tmp_path / "older.db", actor="Ada")
    status_text = cli.ok("status", incident_id)
    status_json = json.loads(cli.ok("status", incident_id, "--json"))
    cli.ok("list")
    report = cli.ok("export", incident_id)
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    timeline = cli.ok("timeline", incident_id)
    brief = cli.ok("brief", incident_id)
    cli.ok("replay", incident_id, "--json", "--at", "T+00:01")
    cli.ok("verify", incident_id)
    leaks = {name: raw_controls(data) for name, data in cli.outputs.items()}
    assert {name: found for name, found in leaks.items() if found} == {}

    assert "commander: new-ic ␛[2J␛[H␛]0;pwned␇" in status_text
    for label in ("person", "by", "new-ic"):
        assert f"{label} ␛[2J␛[H␛]0;pwned␇" in brief, label
    for shown in (report, timeline):  # Markdown: its brackets escaped
        for label in ("commander", "person", "team", "by", "new-ic", "owner", "actor"):
            assert f"{label} ␛\\[2J␛\\[H␛\\]0;pwned␇" in shown, label
    assert status_json["commander"] == hostile("new-ic")[:150]
    assert {e["actor"] for e in record["events"]} == {hostile("actor")[:150]}


def test_limits_and_nul_are_refused_with_one_line_and_nothing_recorded(tmp_path):
    cli = RawCli(tmp_path / "limits.db", actor="tester")
    too_long = cli.run("declare", "--title", "x" * 201, "--severity", "SEV2", "--commander", "Ada")
    assert too_long.returncode == 2
    assert too_long.stderr.decode() == (
        "lastgood declare: the title is 201 characters long; the limit for a title is 200\n"
    )
    incident_id = cli.ok(
        "declare", "--title", "x" * 200, "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    before = json.loads(read_back(cli, incident_id))["events"]
    note = cli.run("note", incident_id, "n" * 20_001)
    assert note.returncode == 2
    assert b"the text is 20,001 characters long; the limit for a text is 20,000" in note.stderr
    assert b"Traceback" not in note.stderr
    assert json.loads(read_back(cli, incident_id))["events"] == before
    cli.ok("note", incident_id, "n" * 20_000)


class _HostileService(BaseHTTPRequestHandler):
    """A production service whose answers carry terminal escapes."""

    def do_GET(self) -> None:
        if self.path == "/version":
            body = json.dumps({"version": "2.4.1" + ESCAPES["osc52"]}).encode()
            status = 200
        elif self.path == "/stats":
            body = json.dumps({"error_rate": 0.01}).encode()
            status = 200
        else:
            body = ("down " + ESCAPES["clear"] + ESCAPES["title"]).encode()
            status = 500
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def hostile_service() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HostileService)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_monitor_and_exports_show_what_a_probed_service_sent(tmp_path, hostile_service):
    cli = RawCli(tmp_path / "probed.db", actor="bastion")
    runbook = write_demo_runbook(hostile_service, tmp_path)
    incident_id = cli.ok(
        "declare",
        "--title",
        "t",
        "--severity",
        "SEV2",
        "--commander",
        "Ada",
        "--runbook",
        runbook.source,
        "--last-good",
        "2.4.0",
    ).strip()
    monitored = cli.ok("monitor", incident_id, "--for", "2.5")
    assert "2.4.1␛]52;c;Y3VybCBldmlsfHNo␇" in monitored
    cli.ok("status", incident_id)
    cli.ok("export", incident_id)
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    leaks = {name: raw_controls(data) for name, data in cli.outputs.items()}
    assert {name: found for name, found in leaks.items() if found} == {}
    texts = [
        sample.get("text")
        for event in record["events"]
        if event["kind"] == "probe.samples"
        for sample in event["payload"]["samples"]
    ]
    assert "2.4.1" + ESCAPES["osc52"] in texts


def test_run_and_validate_show_what_commands_and_runbooks_hold(tmp_path):
    cli = RawCli(tmp_path / "run.db", actor="ops")
    runbook = tmp_path / "cmd.yaml"
    runbook.write_text(
        "runbook: cmd\n"
        "title: Command runbook\n"
        "phases:\n"
        "  - id: execute\n"
        "    title: Execute Rollback\n"
        "    window: [0, 30]\n"
        "    steps:\n"
        "      - id: switch\n"
        "        title: Switch traffic back\n"
        "        kind: command\n"
        "        command: printf 'switched \\033]0;pwned\\007 \\033[2J\\n'\n"
    )
    incident_id = cli.ok(
        "declare",
        "--title",
        "t",
        "--severity",
        "SEV3",
        "--commander",
        "A",
        "--runbook",
        str(runbook),
    ).strip()
    ran = cli.ok("run", incident_id, "switch", "--yes")
    assert "switched ␛]0;pwned␇ ␛[2J" in ran
    cli.ok("export", incident_id)
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    tails = [e["payload"]["output_tail"] for e in record["events"] if e["kind"] == "command.ran"]
    assert tails == ["switched \x1b]0;pwned\x07 \x1b[2J\n"]

    hostile_runbook = tmp_path / "hostile.yaml"
    hostile_runbook.write_text(runbook.read_text().replace("Command runbook", hostile("rb")))
    refused = cli.run("validate", str(hostile_runbook), str(runbook))
    assert refused.returncode == 2 and b"control character" in refused.stderr
    cli.ok("validate", str(runbook))
    leaks = {name: raw_controls(data) for name, data in cli.outputs.items()}
    assert {name: found for name, found in leaks.items() if found} == {}
