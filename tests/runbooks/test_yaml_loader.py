"""The YAML loader: what a valid file becomes, and how mistakes are reported."""

from __future__ import annotations

import pytest

from runbooks import (
    Problem,
    RunbookError,
    env_references,
    load_runbook,
    runbook_from_data,
)
from runbooks.model import (
    DEFAULT_ROLES,
    Cadence,
    DeploymentPattern,
    ProbeKind,
    StepKind,
    TriggerKind,
    Window,
)
from tests.runbooks.conftest import MINIMAL, Problems, WriteFile, messages

FULL = """\
runbook: full
title: Full runbook
description: Everything the format can say.
roles: [incident-commander, sre, dba]
default_pattern: blue-green
patterns:
  blue-green: {title: Blue-green, description: Switch the load balancer back.}
  rolling: {title: Rolling}
triggers:
  - {id: error-rate, title: Error rate > 5%, kind: metric, probe: errors, op: ">", threshold: 0.05,
     for_samples: 3}
  - {id: health-failing, title: Health failing, kind: consecutive_failures, probe: health, count: 3}
  - {id: core-broken, title: Core functionality broken, kind: manual}
database_tiers:
  - {id: none, title: No rollback, risk: None, data_loss: none}
  - id: restore
    title: Restore backup
    risk: Data loss
    data_loss: certain
    approver: leadership
    guidance: Last resort.
templates:
  initiating: "Initiating rollback due to {issue}. ETA {eta}."
  literal: "Braces {{like this}} are literal."
cadence: {first_update_min: 3, every_min: 15}
probes:
  - name: health
    kind: http
    url: "http://127.0.0.1:8080/healthz"
    expect_status: 204
    interval_s: 2.5
    timeout_s: 1
    headers: {Authorization: "Bearer ${HEALTH_TOKEN}", X-Static: plain}
  - {name: version, kind: version, url: "https://127.0.0.1:8443/version", json_field: version}
  - {name: errors, kind: prometheus, url: "http://127.0.0.1:9090", query: "up", threshold: 0.05,
     unit: ratio, reduce: max}
phases:
  - id: decide
    title: Decide
    window: [0, 5]
    summary: First minutes.
    steps:
      - {id: gate, title: Decide, kind: approval, approver: incident-commander, owner: sre}
      - {id: notify, title: Notify, kind: communication, template: initiating, owner: comms-lead}
  - id: execute
    title: Execute
    window: [5, 30]
    steps:
      - {id: switch, title: Switch back, patterns: [blue-green]}
      - {id: redeploy, title: Re-deploy, patterns: rolling}
      - {id: run, title: Run it, kind: command, command: "echo rollback", required: false}
      - {id: db, title: Database, kind: database, owner: dba}
  - id: verify
    title: Verify
    window: [15, null]
    steps:
      - id: version
        title: Confirm version
        kind: verification
        probe: version
        evidence: "version == last_good_version"
      - {id: manual-check, title: Check by hand, kind: verification}
"""


def test_minimal_runbook_gets_the_defaults(write: WriteFile) -> None:
    runbook = load_runbook(write(MINIMAL))
    assert runbook.id == "mini" and runbook.title == "Mini rollback"
    assert runbook.roles == DEFAULT_ROLES
    assert runbook.cadence == Cadence()
    assert runbook.patterns == () and runbook.default_pattern is None
    (phase,) = runbook.phases
    assert phase.window is None and phase.summary == ""
    (step,) = phase.steps
    assert (step.kind, step.required, step.phase_id, step.owner) == (
        StepKind.CHECK,
        True,
        "decide",
        None,
    )


def test_full_runbook(write: WriteFile, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEALTH_TOKEN", "s3cret")
    path = write(FULL)
    runbook = load_runbook(path)
    assert runbook.source == str(path)
    assert runbook.roles == (*DEFAULT_ROLES, "sre", "dba")
    assert runbook.default_pattern is DeploymentPattern.BLUE_GREEN
    assert [p.id for p in runbook.patterns] == [
        DeploymentPattern.BLUE_GREEN,
        DeploymentPattern.ROLLING,
    ]
    assert runbook.cadence == Cadence(3, 15)
    assert [t.kind for t in runbook.triggers] == list(TriggerKind)
    assert runbook.triggers[0].for_samples == 3 and runbook.triggers[1].count == 3
    health = runbook.probe("health")
    assert health is not None
    assert (health.kind, health.expect_status, health.interval_s, health.timeout_s) == (
        ProbeKind.HTTP,
        204,
        2.5,
        1.0,
    )
    assert isinstance(health.timeout_s, float)
    # ${ENV} references stay unexpanded: secrets are never stored in the runbook.
    assert health.headers == (("Authorization", "Bearer ${HEALTH_TOKEN}"), ("X-Static", "plain"))
    assert env_references(health.headers[0][1]) == ("HEALTH_TOKEN",)
    assert runbook.template("literal") == "Braces {{like this}} are literal."
    redeploy = runbook.step("redeploy")
    assert redeploy is not None and redeploy.patterns == (DeploymentPattern.ROLLING,)
    run = runbook.step("run")
    assert run is not None and run.command == "echo rollback" and not run.required
    manual = runbook.step("manual-check")
    assert manual is not None and manual.probe is None
    verify = runbook.phase("verify")
    assert verify is not None and verify.window == Window(15, None)
    tier = runbook.database_tier("restore")
    assert tier is not None and tier.approver == "leadership"


def test_all_problems_are_reported_in_reading_order(problems: Problems) -> None:
    found = problems(
        """\
runbook: x
titel: X
phases:
  - id: decide
    title: Decide
    window: [10, 5]
    steps:
      - {id: assess, title: Assess, kind: chek}
      - {id: assess, title: Again, owner: nobody}
"""
    )
    assert [p.line for p in found] == sorted(p.line for p in found)
    text = "\n".join(messages(found))
    for expected in (
        "2:1: unknown key 'titel' (did you mean 'title'?)",
        "6:18: window end (5) is before start (10)",
        "invalid step kind 'chek' (did you mean 'check'?",
        "9:14: duplicate step id 'assess' (first at line 8)",
        "unknown role 'nobody' for 'owner'",
    ):
        assert expected in text
    # A likely typo of a missing key is reported once, as the typo.
    assert "missing required key 'title'" not in text


def test_runbook_error_lists_every_problem(write: WriteFile) -> None:
    path = write("runbook: x\ntitle: [X]\nphases: 3\n")
    with pytest.raises(RunbookError) as raised:
        load_runbook(path)
    error = raised.value
    assert [p.message for p in error.problems] == [
        "'title' must be a string",
        "'phases' must be a list",
    ]
    assert str(error) == "\n".join(str(p) for p in error.problems)
    assert str(error).splitlines()[0] == f"{path}:2:8: 'title' must be a string"


def test_problem_formats_as_file_line_col() -> None:
    problem = Problem("runbooks/x.yaml", 3, 7, "unknown key 'titel'")
    assert str(problem) == "runbooks/x.yaml:3:7: unknown key 'titel'"


def test_anchors_aliases_and_merge_keys(write: WriteFile) -> None:
    path = write(
        """\
runbook: anchors
title: Anchors
phases:
  - id: decide
    title: Decide
    steps:
      - &first {id: one, title: One, kind: check, owner: ops, guidance: Shared guidance.}
      - {<<: *first, id: two, title: Two, owner: leadership}
      - <<: [{id: three, title: Three}, *first]
"""
    )
    loaded = load_runbook(path)
    one, two, three = loaded.steps()
    assert (two.owner, two.guidance, two.title) == ("leadership", "Shared guidance.", "Two")
    assert (three.id, three.owner) == ("three", "ops")
    assert one.owner == "ops"


def test_scalars_read_as_text_where_text_is_expected(write: WriteFile) -> None:
    path = write(
        """\
runbook: 2024
title: 404
phases:
  - id: 1
    title: yes
    steps:
      - {id: 1.10, title: 2024-05-01}
"""
    )
    runbook = load_runbook(path)
    assert (runbook.id, runbook.title) == ("2024", "404")
    assert (runbook.phases[0].id, runbook.phases[0].title) == ("1", "yes")
    assert (runbook.steps()[0].id, runbook.steps()[0].title) == ("1.10", "2024-05-01")


def test_byte_order_mark_and_crlf_are_accepted(write: WriteFile) -> None:
    data = b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode()
    assert load_runbook(write(data)).id == "mini"


def test_data_without_positions_names_the_path() -> None:
    data = {"runbook": "x", "title": "X", "phases": [{"id": "p", "title": "P", "steps": [{}]}]}
    with pytest.raises(RunbookError) as raised:
        runbook_from_data(data, "snapshot.json")
    assert [str(p) for p in raised.value.problems] == [
        "snapshot.json:1:1: phases[0].steps[0]: missing required key 'id' in step",
        "snapshot.json:1:1: phases[0].steps[0]: missing required key 'title' in step",
    ]


def test_data_must_be_a_mapping() -> None:
    with pytest.raises(RunbookError) as raised:
        runbook_from_data(["not", "a", "mapping"], "")  # type: ignore[arg-type]
    assert str(raised.value) == (
        "<data>:1:1: a runbook must be a mapping of keys (runbook, title, phases, ...)"
    )


def test_data_rejects_non_string_keys() -> None:
    data = {"runbook": "x", "title": "X", 3: "three", "phases": []}
    with pytest.raises(RunbookError) as raised:
        runbook_from_data(data, "s")  # type: ignore[arg-type]
    assert "keys in runbook must be strings, not 3" in str(raised.value)


def test_null_for_a_required_value(problems: Problems) -> None:
    found = problems("runbook: x\ntitle:\nphases: ~\n")
    assert messages(found) == ["2:7: 'title' must not be empty", "3:9: 'phases' must not be empty"]


def test_runbook_error_survives_pickling() -> None:
    import pickle

    error = RunbookError([Problem("a.yaml", 1, 2, "m"), Problem("a.yaml", 3, 4, "n")])
    again = pickle.loads(pickle.dumps(error))
    assert again.problems == error.problems and str(again) == str(error)
