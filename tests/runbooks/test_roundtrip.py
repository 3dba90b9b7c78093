"""`runbook_to_data` / `runbook_from_data`: the snapshot an incident keeps of its runbook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from runbooks import (
    BUNDLED_DIR,
    RunbookError,
    bundled_runbooks,
    load_runbook,
    runbook_from_data,
    runbook_to_data,
)
from runbooks.model import (
    Cadence,
    DatabaseTier,
    DataLoss,
    DeploymentPattern,
    PatternInfo,
    Phase,
    Probe,
    ProbeKind,
    Reduce,
    Runbook,
    Step,
    StepKind,
    Trigger,
    TriggerKind,
    Window,
)
from tests.runbooks.conftest import WriteFile
from tests.runbooks.test_yaml_loader import FULL


def snapshot(runbook: Runbook) -> Runbook:
    """What an incident gets back from its first event: through JSON text and back."""
    text = json.dumps(runbook_to_data(runbook), allow_nan=False, sort_keys=False)
    return runbook_from_data(json.loads(text), runbook.source)


def hand_built() -> Runbook:
    """A runbook made in code, not loaded: the domain's tests build them like this."""
    bg = DeploymentPattern.BLUE_GREEN
    return Runbook(
        id="hand",
        title="Hand built",
        source="<test>",
        roles=("incident-commander", "deployment-coordinator", "comms-lead", "ops", "leadership"),
        patterns=(PatternInfo(bg, "Blue-green"),),
        default_pattern=bg,
        templates=(("initiating", "Initiating rollback due to {issue}. ETA {eta}."),),
        cadence=Cadence(first_update_min=5, every_min=20),
        triggers=(Trigger("core", "Core broken", TriggerKind.MANUAL),),
        probes=(
            Probe("health", ProbeKind.HTTP, "http://127.0.0.1:1/h", headers=(("A", "b"),)),
            Probe("5xx", ProbeKind.PROMETHEUS, "http://p:9090", query="up", reduce=Reduce.AVG),
        ),
        database_tiers=(
            DatabaseTier("none", "None", "none", DataLoss.NONE),
            DatabaseTier("restore", "Restore", "loss", DataLoss.CERTAIN, approver="leadership"),
        ),
        phases=(
            Phase(
                "decide",
                "Decide",
                Window(0, 5),
                steps=(
                    Step(
                        "gate", "Gate", "decide", StepKind.APPROVAL, approver="incident-commander"
                    ),
                    Step(
                        "notify", "Notify", "decide", StepKind.COMMUNICATION, template="initiating"
                    ),
                ),
            ),
            Phase(
                "execute",
                "Execute",
                Window(5, 30),
                steps=(
                    Step("switch", "Switch", "execute", patterns=(bg,)),
                    Step("database", "Database", "execute", StepKind.DATABASE),
                    Step("extra", "Extra", "execute", required=False, approver="ops"),
                    Step("verify", "Verify", "execute", StepKind.VERIFICATION),
                ),
            ),
            Phase("close", "Close", Window(45, None), steps=(Step("done", "Done", "close"),)),
        ),
    )


@pytest.mark.parametrize(
    "path",
    [
        *bundled_runbooks(),
        BUNDLED_DIR / "examples" / "rollback-checklist.md",
        BUNDLED_DIR / "examples" / "deployment-plan.md",
    ],
    ids=lambda p: p.name,
)
def test_shipped_runbooks_round_trip(path: Path) -> None:
    runbook = load_runbook(path)
    assert snapshot(runbook) == runbook


def test_full_featured_runbook_round_trips(write: WriteFile) -> None:
    runbook = load_runbook(write(FULL))
    again = snapshot(runbook)
    assert again == runbook
    assert again.probes[0].headers == (
        ("Authorization", "Bearer ${HEALTH_TOKEN}"),
        ("X-Static", "plain"),
    )
    assert (again.probes[2].kind, again.probes[2].reduce) == (ProbeKind.PROMETHEUS, Reduce.MAX)
    assert runbook_to_data(runbook)["probes"][2]["reduce"] == "max"  # type: ignore[index,call-overload]


def test_hand_built_runbook_round_trips() -> None:
    runbook = hand_built()
    assert snapshot(runbook) == runbook


def test_round_trip_keeps_an_empty_source() -> None:
    runbook = Runbook("x", "X", (Phase("p", "P", None, steps=(Step("s", "S", "p"),)),))
    assert runbook.source == ""
    assert snapshot(runbook) == runbook


def test_steps_from_markdown_are_snapshotted_inline(write: WriteFile) -> None:
    write("## Rollback\n- [ ] Switch back\n- [ ] Warm caches (optional)\n", "plan.md")
    path = write(
        "runbook: x\ntitle: X\nphases:\n  - id: execute\n    title: Execute\n"
        "    steps_from: plan.md\n"
    )
    runbook = load_runbook(path)
    data = runbook_to_data(runbook)
    phases = data["phases"]
    assert isinstance(phases, list) and isinstance(phases[0], dict)
    assert "steps_from" not in phases[0]
    assert phases[0]["steps"] == [
        {
            "id": "switch-back",
            "title": "Switch back",
            "kind": "check",
            "guidance": "",
            "required": True,
        },
        {
            "id": "warm-caches",
            "title": "Warm caches",
            "kind": "check",
            "guidance": "",
            "required": False,
        },
    ]
    (path.parent / "plan.md").unlink()  # the snapshot no longer needs the file
    assert snapshot(runbook) == runbook


def test_snapshot_written_as_yaml_loads_as_a_file(write: WriteFile) -> None:
    runbook = load_runbook(BUNDLED_DIR / "rollback.yaml")
    path = write(yaml.safe_dump(runbook_to_data(runbook), sort_keys=False), "copy.yaml")
    copy = load_runbook(path)
    assert copy.source == str(path)
    assert copy == Runbook(**{**_fields(runbook), "source": str(path)})


def _fields(runbook: Runbook) -> dict[str, object]:
    return {name: getattr(runbook, name) for name in Runbook.__struct_fields__}


def test_data_is_plain_json() -> None:
    data = runbook_to_data(load_runbook(BUNDLED_DIR / "rollback.yaml"))
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert list(data)[:3] == ["runbook", "title", "description"]


def test_tampered_snapshot_is_refused_with_the_path() -> None:
    data = runbook_to_data(load_runbook(BUNDLED_DIR / "rollback.yaml"))
    phases = data["phases"]
    assert isinstance(phases, list) and isinstance(phases[0], dict)
    steps = phases[0]["steps"]
    assert isinstance(steps, list) and isinstance(steps[3], dict)
    steps[3]["approver"] = "nobody"
    with pytest.raises(RunbookError) as raised:
        runbook_from_data(data, "incident-42")
    (problem,) = raised.value.problems
    assert str(problem).startswith(
        "incident-42:1:1: phases[0].steps[3].approver: unknown role 'nobody' for 'approver'"
    )


def test_notify_section_round_trips(tmp_path: Path) -> None:
    from runbooks import load_runbook, runbook_from_data, runbook_to_data

    path = tmp_path / "notify.yaml"
    path.write_text(
        "runbook: n\n"
        "title: N\n"
        "templates:\n"
        '  initiating: "Initiating rollback due to {issue}. ETA {eta}."\n'
        "notify:\n"
        "  targets:\n"
        '    - {name: team, kind: slack, url: "${HOOK}"}\n'
        '    - {name: ops, kind: json, url: "https://hooks.example/x",'
        ' headers: {Authorization: "Bearer ${TOKEN}"}}\n'
        "  send:\n"
        "    initiating: [team, ops]\n"
        "phases:\n"
        "  - {id: p, title: P, window: [0, 5], steps: [{id: s, title: S}]}\n"
    )
    runbook = load_runbook(path)
    assert [t.name for t in runbook.targets_for("initiating")] == ["team", "ops"]
    assert runbook.targets_for(None) == ()
    assert runbook_from_data(runbook_to_data(runbook), runbook.source) == runbook


def test_timed_send_rules_round_trip(tmp_path: Path) -> None:
    from msgspec.structs import replace

    from runbooks import load_runbook, runbook_from_data, runbook_to_data
    from runbooks.model import Moment, MomentKind, SendMode, SendRule

    path = tmp_path / "timed.yaml"
    path.write_text(
        "runbook: n\n"
        "title: N\n"
        "templates:\n"
        '  announce: "Rolling back {title}."\n'
        '  update: "Still on it."\n'
        '  resolved: "Resolved."\n'
        "notify:\n"
        "  targets:\n"
        '    - {name: team, kind: slack, url: "${HOOK}"}\n'
        "  send:\n"
        '    announce: {to: [team], on: "step:s", mode: auto}\n'
        "    update: {on: update-due}\n"
        '    resolved: {to: [team], on: "phase:p"}\n'
        "phases:\n"
        "  - {id: p, title: P, window: [0, 5], steps: [{id: s, title: S}]}\n"
    )
    runbook = load_runbook(path)
    assert runbook.notify_rules == (
        SendRule("announce", ("team",), Moment(MomentKind.STEP, "s"), SendMode.AUTO),
        SendRule("update", (), Moment(MomentKind.UPDATE_DUE), SendMode.CONFIRM),
        SendRule("resolved", ("team",), Moment(MomentKind.PHASE, "p"), SendMode.CONFIRM),
    )
    assert [t.name for t in runbook.targets_for("announce")] == ["team"]
    assert runbook.targets_for("update") == ()
    assert runbook_from_data(runbook_to_data(runbook), runbook.source) == runbook

    untargeted = replace(
        runbook,
        notify_targets=(),
        notify_rules=(SendRule("update", (), Moment(MomentKind.UPDATE_DUE), SendMode.AUTO),),
    )
    assert runbook_from_data(runbook_to_data(untargeted), runbook.source) == untargeted
