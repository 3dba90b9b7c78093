"""The runbook's `done_by_declaration` refused in place when it names no declaration
field, or a step no declaration can do (review7 F17)."""

from __future__ import annotations

import pytest

from tests.runbooks.conftest import MINIMAL, Problems, messages


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (
            "{id: x, title: X, done_by_declaration: comander}",
            "8:48: unknown declaration field 'comander' (did you mean 'commander'? "
            "allowed: commander, channel)",
        ),
        (
            "{id: x, title: X, kind: approval, approver: ops, done_by_declaration: channel}",
            "8:58: 'done_by_declaration' only applies to check steps",
        ),
        (
            "{id: x, title: X, approver: ops, done_by_declaration: commander}",
            "8:63: 'done_by_declaration' cannot be given with 'approver': "
            "no declaration approves a step",
        ),
    ],
)
def test_an_unknown_field_or_a_step_it_cannot_do_is_refused_in_place(
    problems: Problems, step: str, message: str
) -> None:
    assert message in messages(problems(MINIMAL + f"      - {step}\n"))
