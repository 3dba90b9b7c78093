"""The YAML loader: what a valid file becomes, and how mistakes are reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from runbooks import (
    Problem,
    RunbookError,
    env_references,
    load_runbook,
    resolve_runbook,
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
from tests.runbooks.conftest import MINIMAL, WriteFile, messages

Problems = Callable[..., list[Problem]]

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


def test_multiple_problems_in_one_step(problems: Problems) -> None:
    found = problems(
        MINIMAL + "      - {id: x, title: X, kind: communication, template: nope, command: ls}\n"
    )
    text = messages(found)
    assert "8:58: template 'nope' is not defined under 'templates' (none defined)" in text
    assert "8:64: 'command' only applies to command steps" in text


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("{id: x, title: X, probe: health}", "'probe' only applies to verification steps"),
        ("{id: x, title: X, evidence: ok}", "'evidence' only applies to verification steps"),
        ("{id: x, title: X, kind: command}", "missing required key 'command' in step 'x'"),
        ("{id: x, title: X, kind: communication}", "missing required key 'template' in step 'x'"),
        ("{id: x, title: X, patterns: []}", "'patterns' must not be empty"),
        ("{id: x, title: X, patterns: [blue-green, blue-green]}", "is not defined under"),
        ("{id: x, title: X, patterns: {a: 1}}", "'patterns' must be a list of deployment patterns"),
        ("{id: x, title: ''}", "'title' must not be empty"),
        ("{id: x, title: X, guidance: [a]}", "'guidance' must be a string"),
        ("{id: x, title: X, approver: ops}", None),
        ("{id: x, title: X, kind: verification, probe: nope}", "probe 'nope' is not defined"),
    ],
)
def test_step_rules(problems: Problems, step: str, message: str | None) -> None:
    found = problems(MINIMAL + f"      - {step}\n")
    if message is None:
        assert found == []
    else:
        assert any(message in p.message and p.line == 8 for p in found), messages(found)


@pytest.mark.parametrize(
    ("trigger", "message"),
    [
        ("{id: t, title: T, kind: manual, count: 3}", "'count' does not apply to manual triggers"),
        ("{id: t, title: T, kind: manual, probe: health}", "'probe' does not apply to manual"),
        ("{id: t, title: T, kind: metric, probe: version, op: '>', threshold: 1}", "numeric probe"),
        (
            "{id: t, title: T, kind: metric, probe: health, op: '>'}",
            "missing required key 'threshold'",
        ),
        (
            "{id: t, title: T, kind: metric, probe: health, op: '>', threshold: 1, count: 2}",
            "'count' only applies to consecutive_failures triggers",
        ),
        (
            "{id: t, title: T, kind: consecutive_failures, probe: health}",
            "missing required key 'count'",
        ),
        (
            "{id: t, title: T, kind: consecutive_failures, probe: health, count: 0}",
            "'count' must be a positive integer (got 0)",
        ),
        (
            "{id: t, title: T, kind: consecutive_failures, probe: health, count: 2, op: '>'}",
            "'op' only applies to metric triggers",
        ),
        (
            "{id: t, title: T, kind: metric, probe: health, op: '>', threshold: yes}",
            "'threshold' must be a number",
        ),
        (
            "{id: t, title: T, kind: metric, probe: health, op: '>', threshold: 1, "
            "for_samples: 1.5}",
            "'for_samples' must be a positive integer",
        ),
    ],
)
def test_trigger_rules(problems: Problems, trigger: str, message: str) -> None:
    text = (
        "probes:\n"
        "  - {name: health, kind: http, url: 'http://127.0.0.1/healthz'}\n"
        "  - {name: version, kind: version, url: 'http://127.0.0.1/version'}\n"
        f"triggers:\n  - {trigger}\n" + MINIMAL
    )
    found = problems(text)
    assert any(message in p.message and p.line == 5 for p in found), messages(found)


@pytest.mark.parametrize(
    ("probe", "message"),
    [
        ("{name: p, kind: http, url: 'http://h', query: up}", "'query' only applies to prometheus"),
        ("{name: p, kind: http, url: 'http://h', reduce: max}", "'reduce' only applies to prom"),
        (
            "{name: p, kind: prometheus, url: 'http://h', query: up, reduce: median}",
            "invalid reduction 'median' (did you mean 'min'? allowed: max, min, sum, avg)",
        ),
        (
            "{name: p, kind: prometheus, url: 'http://h', query: up, reduce: [max]}",
            "'reduce' must be",
        ),
        (
            "{name: p, kind: prometheus, url: 'http://h', query: up, json_field: v}",
            "'json_field' does not apply to prometheus probes",
        ),
        (
            "{name: p, kind: http, url: 'http://h', expect_status: 42}",
            "'expect_status' must be an HTTP status code (100-599) (got 42)",
        ),
        (
            "{name: p, kind: http, url: 'http://h', interval_s: 7200}",
            "'interval_s' must be a positive number of seconds (at most 3600) (got 7200)",
        ),
        ("{name: p, kind: http, url: 'http://h', timeout_s: .inf}", "'timeout_s' must be"),
        ("{name: p, kind: http, url: 'http://h', interval_s: true}", "'interval_s' must be"),
        (
            "{name: p, kind: http, url: 'javascript:alert(1)'}",
            "unsupported URL scheme 'javascript'",
        ),
        ("{name: p, kind: http, url: 'http://h:99999/'}", "invalid URL 'http://h:99999/'"),
        ("{name: p, kind: http, url: 'http://h/a b'}", "must not contain spaces"),
        ("{name: p, kind: http, url: ''}", "'url' must not be empty"),
        ("{name: p, kind: http, url: 'http://h', headers: {'Bad Name': x}}", "invalid header name"),
        ("{name: p, kind: http, url: 'http://h', headers: {A: x, a: y}}", "duplicate header 'a'"),
        ("{name: p, kind: http, url: 'http://h', headers: {A: \"x\\ny\"}}", "line break"),
        (
            "{name: p, kind: http, url: 'http://h', headers: {A: '${1X}'}}",
            "malformed environment reference",
        ),
        ("{name: p, kind: http, url: 'http://h', headers: [a]}", "'headers' must be a mapping"),
    ],
)
def test_probe_rules(problems: Problems, probe: str, message: str) -> None:
    found = problems(f"probes:\n  - {probe}\n" + MINIMAL)
    assert any(message in p.message and p.line == 2 for p in found), messages(found)


def test_header_values_may_use_literal_dollars(write: WriteFile) -> None:
    text = "probes:\n  - {name: p, kind: http, url: 'http://h', headers: {A: 'a$b $ ${OK_1}'}}\n"
    runbook = load_runbook(write(text + MINIMAL))
    assert runbook.probes[0].headers == (("A", "a$b $ ${OK_1}"),)
    assert env_references("a$b $ ${OK_1}") == ("OK_1",)


def test_only_one_database_step(problems: Problems) -> None:
    found = problems(
        "database_tiers:\n  - {id: none, title: None, risk: none, data_loss: none}\n"
        + MINIMAL
        + "      - {id: db1, title: DB, kind: database}\n"
        + "      - {id: db2, title: DB again, kind: database}\n"
    )
    assert messages(found) == ["11:42: only one database step is allowed (first: 'db1')"]


def test_roles_may_be_added_and_checked(problems: Problems) -> None:
    found = problems("roles: [sre, sre]\n" + MINIMAL)
    assert messages(found) == ["1:14: duplicate role 'sre' (first at line 1)"]


def test_phase_without_title_and_id(problems: Problems) -> None:
    found = problems("runbook: x\ntitle: X\nphases:\n  - {steps: [{id: a, title: A}]}\n")
    assert messages(found) == [
        "4:5: missing required key 'id' in phase",
        "4:5: missing required key 'title' in phase",
    ]


def test_open_window_and_invalid_window_shapes(problems: Problems) -> None:
    def window_problems(window: str) -> list[str]:
        text = MINIMAL.replace("    title: Decide\n", f"    title: Decide\n    window: {window}\n")
        return [p.message for p in problems(text)]

    assert window_problems("[45, null]") == []
    assert window_problems("[0, 5]") == []
    assert window_problems("[5, 5]") == ["window is empty: end equals start (5)"]
    assert window_problems("[null, 5]") == ["'window' must be a list of two integers [start, end]"]
    assert window_problems("[0, 5, 10]")[0].startswith(
        "'window' must be a list of two integers [start, end]"
    )
    assert window_problems("[true, 5]") == ["'window' must be a list of two integers [start, end]"]
    assert window_problems("[0.5, 5]") == ["'window' must be a list of two integers [start, end]"]


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


class TestStepsFrom:
    PLAN = """\
# Deployment plan

## Rollback (T+5 to T+30 minutes)
- [ ] Switch the load balancer back
- [ ] Assess severity
- [ ] Warm caches (optional)

## Verification
- [ ] Smoke test {#smoke}
"""

    def runbook_text(self, steps_from: str) -> str:
        return MINIMAL + f"    steps_from: {steps_from}\n"

    def test_whole_file_is_appended_to_the_phase(self, write: WriteFile) -> None:
        write(self.PLAN, "plans/deployment-plan.md")
        runbook = load_runbook(write(self.runbook_text("plans/deployment-plan.md")))
        steps = runbook.phases[0].steps
        assert [s.id for s in steps] == [
            "assess",
            "switch-the-load-balancer-back",
            "assess-severity",
            "warm-caches",
            "smoke",
        ]
        assert {s.phase_id for s in steps} == {"decide"}
        assert [s.required for s in steps] == [True, True, True, False, True]

    def test_one_section(self, write: WriteFile) -> None:
        write(self.PLAN, "deployment-plan.md")
        text = self.runbook_text("{file: deployment-plan.md, section: verification}")
        runbook = load_runbook(write(text))
        assert [s.id for s in runbook.steps()] == ["assess", "smoke"]

    def test_generated_ids_avoid_ids_written_later(self, write: WriteFile) -> None:
        write("- [ ] Notify\n", "plan.md")
        text = self.runbook_text("plan.md") + (
            "  - id: later\n    title: Later\n    steps:\n      - {id: notify, title: Notify}\n"
        )
        runbook = load_runbook(write(text))
        assert [s.id for s in runbook.steps()] == ["assess", "notify-2", "notify"]

    def test_explicit_duplicate_points_into_the_markdown(
        self, write: WriteFile, problems: Problems
    ) -> None:
        plan = write("- [ ] Assess again {#assess}\n", "plan.md")
        found = problems(self.runbook_text("plan.md"))
        assert [str(p) for p in found] == [
            f"{plan}:1:1: duplicate step id 'assess' (first at line 7)"
        ]

    def test_markdown_problems_point_into_the_markdown(
        self, write: WriteFile, problems: Problems
    ) -> None:
        plan = write("## Rollback\n- [ Switch back\n", "plan.md")
        found = problems(self.runbook_text("plan.md"))
        assert [str(p) for p in found] == [
            f"{plan}:2:3: unclosed task checkbox (write '- [ ] task')"
        ]

    def test_unknown_section_and_empty_files(self, write: WriteFile, problems: Problems) -> None:
        write(self.PLAN, "plan.md")
        write("# Nothing to do\n", "empty-plan.md")
        found = problems(self.runbook_text("{file: plan.md, section: Verificaton}"))
        assert messages(found) == [
            "8:42: no section 'Verificaton' in "
            f"{Path(found[0].file).parent / 'plan.md'} (did you mean 'Verification'? "
            "sections: Rollback, Verification)"
        ]
        found = problems(self.runbook_text("empty-plan.md"))
        assert messages(found) == ["8:17: 'empty-plan.md' has no '- [ ] task' lines"]

    def test_bad_values(self, problems: Problems) -> None:
        assert messages(problems(self.runbook_text("[a, b]"))) == [
            "8:17: 'steps_from' must be a file name or {file: ..., section: ...}"
        ]
        assert messages(problems(self.runbook_text("{section: x}"))) == [
            "8:17: missing required key 'file' in steps_from"
        ]
        found = problems(self.runbook_text("''"))
        assert messages(found) == ["8:17: 'steps_from' must not be empty"]

    def test_unreadable_markdown(self, write: WriteFile, problems: Problems) -> None:
        write(b"\xff\xfe", "binary.md")
        found = problems(self.runbook_text("binary.md"))
        assert len(found) == 1
        assert found[0].message.startswith("steps_from: cannot use ")
        assert found[0].message.endswith("binary.md: not a text file (invalid UTF-8 at byte 0)")


class TestResolve:
    def test_existing_path_wins(self, write: WriteFile) -> None:
        path = write(MINIMAL, "rollback.yaml")
        assert resolve_runbook(str(path)) == path

    def test_search_dirs_before_bundled(self, tmp_path: Path, write: WriteFile) -> None:
        write(MINIMAL, "team/rollback.yml")
        found = resolve_runbook("rollback", [tmp_path / "team"])
        assert found == tmp_path / "team" / "rollback.yml"
        write(MINIMAL, "team/checklist.md")
        assert resolve_runbook("checklist", [tmp_path / "team"]).name == "checklist.md"
        assert resolve_runbook("checklist.md", [tmp_path / "team"]).name == "checklist.md"

    def test_unknown_name_lists_choices(self, tmp_path: Path, write: WriteFile) -> None:
        write(MINIMAL, "team/hotfix.yaml")
        with pytest.raises(RunbookError) as raised:
            resolve_runbook("rolback", [tmp_path / "team", tmp_path / "missing-dir"])
        (problem,) = raised.value.problems
        assert str(problem) == (
            "rolback:1:1: unknown runbook 'rolback' (did you mean 'rollback'? "
            "choose: hotfix, rollback)"
        )

    def test_missing_path(self, tmp_path: Path) -> None:
        with pytest.raises(RunbookError) as raised:
            resolve_runbook(str(tmp_path / "nope.yaml"))
        assert raised.value.problems[0].message == "cannot read runbook: No such file or directory"


def test_null_for_a_required_value(problems: Problems) -> None:
    found = problems("runbook: x\ntitle:\nphases: ~\n")
    assert messages(found) == ["2:7: 'title' must not be empty", "3:9: 'phases' must not be empty"]


def test_runbook_error_survives_pickling() -> None:
    import pickle

    error = RunbookError([Problem("a.yaml", 1, 2, "m"), Problem("a.yaml", 3, 4, "n")])
    again = pickle.loads(pickle.dumps(error))
    assert again.problems == error.problems and str(again) == str(error)
