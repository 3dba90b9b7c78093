"""The JSON the CLI writes is the JSON tui/cli/schemas/ documents, with one timestamp format.

On a real file, through the CLI's `main` in this process (`InProcessCli`): a scripted
incident, then every read verb with `--json` (and `monitor --json` against the demo
shop, a real process), each answer validated against
its schema. Any string in any of them that looks like a time must be the one stored
format, UTC with milliseconds and a Z.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from incident import commands
from incident.app.session import IncidentSession
from incident.core.clock import SystemClock
from runbooks import load_runbook, resolve_runbook
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli, InProcessCli
from tui.demo.launch import write_demo_runbook
from tui.demo.shop import DemoService

SCHEMAS = Path(__file__).resolve().parent.parent / "tui" / "cli" / "schemas"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
TIME_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def validator(name: str) -> Draft202012Validator:
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text(encoding="utf-8"))))
        for path in SCHEMAS.glob("*.schema.json")
    ]
    registry = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry)


def assert_valid(name: str, document: object) -> None:
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


def time_strings(document: object) -> list[str]:
    if isinstance(document, str):
        return [document] if TIME_LIKE.match(document) else []
    if isinstance(document, dict):
        return [t for value in document.values() for t in time_strings(value)]
    if isinstance(document, list):
        return [t for value in document for t in time_strings(value)]
    return []


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("json")
    cli = InProcessCli(tmp / "json.db")
    found: dict[str, object] = {}
    with DemoService(latency_scale=0, synthetic_rps=50, window_s=4) as service:
        runbook = write_demo_runbook(service.url, tmp)
        incident_id = cli.ok(
            "declare",
            "--title",
            "Checkout errors",
            "--severity",
            "SEV2",
            "--commander",
            "Ada",
            "--runbook",
            runbook.source,
            "--last-good",
            "2.4.0",
        ).strip()
        cli.ok("check", incident_id, "assess-severity", "--note", "12% errors")
        cli.ok("decide", incident_id, "--reason", "error-rate trigger met", "--by", "Ada")
        cli.ok("note", incident_id, "pinned", "--pin")
        found["monitor"] = [
            json.loads(line)
            for line in Cli(cli.db)
            .ok("monitor", incident_id, "--for", "2.5", "--json")
            .splitlines()
        ]
    cli.ok("action", incident_id, "Restore the canary", "--owner", "Bo", "--due", "2026-12-24")
    cli.ok(
        "action",
        incident_id,
        "Alert on retries",
        "--priority",
        "P2",
        "--type",
        "detect",
        "--ticket",
        "https://tracker.example/CHK-13",
    )
    cli.ok("action-done", incident_id, "1", "--note", "canary back")
    cli.ok("factor", incident_id, "no canary stage")
    cli.ok("report-status", incident_id, "--owner", "Ada", "--reviewers", "Bo,Cy")
    found["status"] = json.loads(cli.ok("status", incident_id, "--json"))
    found["brief"] = json.loads(cli.ok("brief", incident_id, "--json"))
    found["replay"] = json.loads(cli.ok("replay", incident_id, "--json", "--at", "T+00:01"))
    found["list"] = json.loads(cli.ok("list", "--json"))
    found["verify"] = json.loads(cli.ok("verify", incident_id, "--json"))
    found["verify-all"] = json.loads(cli.ok("verify", "--all", "--json"))
    head = found["verify"][0]["head"]  # type: ignore[index]
    found["verify-head"] = json.loads(
        cli.ok("verify", incident_id, "--expect-head", head, "--json")
    )
    found["export"] = json.loads(cli.ok("export", incident_id, "--format", "json"))
    found["timeline"] = json.loads(cli.ok("timeline", incident_id, "--json", "--gap", "0.01"))
    drill = declare_drill(cli.db)
    cli.ok("close", drill, "--force", "--reason", "the drill is over")  # its card: once closed
    found["score"] = json.loads(cli.ok("score", drill, "--json"))
    broken = tmp / "broken.yaml"
    broken.write_text("runbook: x\nphases: 3\n", encoding="utf-8")
    checked = cli.run("validate", runbook.source, str(broken), "--json")
    assert checked.code == 2, checked.err
    found["validate"] = json.loads(checked.out)
    return found


def declare_drill(db: Path) -> str:
    """A drill (as `lastgood drill` declares one, without its shop), just begun."""
    details = commands.Declaration(
        title="Drill", severity="SEV2", commander="Ada", drill="bad-release"
    )
    clock = SystemClock()
    runbook = load_runbook(resolve_runbook("rollback"))
    with SqliteEventLog.open(db) as log:
        declared = commands.declare(runbook, details, actor="Ada", clock=clock)
        return IncidentSession.declare(log, declared, clock).state.id


@pytest.mark.parametrize(
    ("output", "schema"),
    [
        ("status", "status"),
        ("brief", "brief"),
        ("replay", "status"),
        ("list", "list"),
        ("verify", "verify"),
        ("verify-all", "verify"),
        ("verify-head", "verify"),
        ("export", "export"),
        ("validate", "validate"),
        ("timeline", "timeline"),
        ("score", "score"),
    ],
)
def test_each_json_answer_matches_its_schema(outputs, output, schema):
    assert_valid(schema, outputs[output])


def test_monitor_writes_one_schema_valid_object_per_line(outputs):
    lines = outputs["monitor"]
    assert isinstance(lines, list)
    kinds = {line["kind"] for line in lines}
    assert "samples" in kinds
    for line in lines:
        assert_valid("monitor-line", line)


def test_the_brief_says_what_was_decided_and_by_whom(outputs):
    brief = outputs["brief"]
    assert isinstance(brief, dict)
    (decision,) = brief["decisions"]
    assert decision["what"] == "approved decide-rollback" and decision["by"] == "Ada"
    assert decision["recorded_by"] == "tester"
    assert decision["why"] == "error-rate trigger met"
    assert 8 <= len(brief["lines"]) <= 20
    assert brief["roles"]["incident-commander"] == "Ada"


def test_every_time_is_written_one_way(outputs):
    times = [t for document in outputs.values() for t in time_strings(document)]
    assert len(times) > 50
    assert [t for t in times if not TIMESTAMP.match(t)] == []


def test_validate_json_holds_what_the_lines_say(outputs):
    answer = outputs["validate"]
    assert isinstance(answer, dict)
    good, bad = answer["files"]
    assert answer["ok"] is False
    assert (good["ok"], good["problems"], good["phases"]) == (True, [], 4)
    assert bad["ok"] is False and bad["runbook"] is None
    assert {
        "file": bad["file"],
        "line": 2,
        "col": 9,
        "message": "'phases' must be a list",
    } in bad["problems"]


def test_the_score_card_holds_its_lines(outputs):
    card = outputs["score"]
    assert isinstance(card, dict)
    assert (card["fault"], card["closed"], card["of"]) == ("bad-release", True, len(card["lines"]))
    assert {line["verdict"] for line in card["lines"]} <= {"met", "missed", "open"}


def test_a_schema_rejects_what_it_should():
    bad = {"id": "x", "status": "paused"}
    assert list(validator("status").iter_errors(bad))
    assert list(validator("brief").iter_errors(bad))
    assert list(validator("list").iter_errors([{"declared_at": "2026-11-28T09:00:00+00:00"}]))
    assert list(validator("score").iter_errors({"id": "x", "lines": [{"verdict": "late"}]}))
