"""The YAML loader's rules for steps, triggers, probes, roles and windows, each with its message."""

from __future__ import annotations

import pytest

from runbooks import (
    env_references,
    load_runbook,
)
from tests.runbooks.conftest import MINIMAL, Problems, WriteFile, messages


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
            "'interval_s' must be a number of seconds from 1 to 3600 (got 7200)",
        ),
        (  # 160 requests and recorded events a second
            "{name: p, kind: http, url: 'http://h', interval_s: 0.001}",
            "'interval_s' must be a number of seconds from 1 to 3600 (got 0.001)",
        ),
        (
            "{name: p, kind: http, url: 'http://h', timeout_s: 0.1}",
            "'timeout_s' must be a number of seconds from 0.5 to 3600 (got 0.1)",
        ),
        ("{name: p, kind: http, url: 'http://h', timeout_s: .inf}", "'timeout_s' must be"),
        ("{name: p, kind: http, url: 'http://h', interval_s: true}", "'interval_s' must be"),
        (
            "{name: p, kind: http, url: 'javascript:alert(1)'}",
            "unsupported URL scheme 'javascript'",
        ),
        ("{name: p, kind: http, url: 'http://h:99999/'}", "invalid URL 'http://h:99999/'"),
        ("{name: p, kind: http, url: 'http://h/a b'}", "must not contain spaces"),
        (  # a password in a URL is a secret: never quoted back
            "{name: p, kind: http, url: 'htp://admin:hunter2@h/'}",
            "unsupported URL scheme 'htp' in 'htp://admin:…@h/' (use http or https)",
        ),
        (
            "{name: p, kind: http, url: 'http://admin:hunter2@h:99999/'}",
            "invalid URL 'http://admin:…@h:99999/': Port out of range",
        ),
        (
            "{name: p, kind: prometheus, url: '${P:-ftp://a:b@c@h/}', query: up}",
            "unsupported URL scheme 'ftp' in 'ftp://a:…@h/'",
        ),
        ("{name: p, kind: http, url: ''}", "'url' must not be empty"),
        ("{name: p, kind: http, url: 'http://h', headers: {'Bad Name': x}}", "invalid header name"),
        ("{name: p, kind: http, url: 'http://h', headers: {A: x, a: y}}", "duplicate header 'a'"),
        ("{name: p, kind: http, url: 'http://h', headers: {A: \"x\\ny\"}}", "line break"),
        (
            "{name: p, kind: http, url: 'http://h', headers: {A: '${1X}'}}",
            "malformed environment reference",
        ),
        ("{name: p, kind: http, url: 'http://h', headers: [a]}", "'headers' must be a mapping"),
        (  # said where, not what: the value may be a token
            "{name: p, kind: http, url: 'http://h', headers: {A: 'Bearer ésecret'}}",
            "header 'A' has a character that is not ASCII at position 8: HTTP sends header "
            "values as ASCII",
        ),
        (
            "{name: p, kind: http, url: 'http://h/ok${X'}",
            "malformed environment reference in URL 'http://h/ok${X'",
        ),
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


@pytest.mark.parametrize("steps", ["steps: !!omap [{id: s}]", "steps_from: !!set {a.md}"])
def test_steps_refused_for_their_tag_are_not_also_missing(problems: Problems, steps: str):
    """The phase was also said to have no steps: a second problem for the one mistake."""
    found = problems(f"runbook: x\ntitle: X\nphases:\n  - id: a\n    title: A\n    {steps}\n")
    assert [m.split(": ", 1)[1] for m in messages(found)] == [
        f"unsupported YAML tag '{steps.split()[1]}'"
    ]
