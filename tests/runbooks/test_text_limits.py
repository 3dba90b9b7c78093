"""Titles and prose in a runbook have a length limit, told at the text that passes it.

A 900,000-character step title was accepted: `status` printed 900 KB and the checklist
showed that one title and nothing else. A title holds what an incident's title holds
(200 characters), guidance, a summary or a description what a note holds (20,000).
"""

from __future__ import annotations

import pytest

from incident.core.limits import TEXT, TITLE
from runbooks import load_runbook
from runbooks.limits import MAX_PROSE_CHARS, MAX_TITLE_CHARS
from runbooks.serialize import runbook_from_data, runbook_to_data
from tests.runbooks.conftest import MINIMAL, Problems, WriteFile, messages

LONG_TITLE = "T" * (MAX_TITLE_CHARS + 1)
LONG_PROSE = "g" * (MAX_PROSE_CHARS + 1)


def test_the_limits_are_the_records() -> None:
    assert (TITLE.max_chars, TEXT.max_chars) == (MAX_TITLE_CHARS, MAX_PROSE_CHARS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            MINIMAL + f"      - {{id: x, title: {LONG_TITLE}}}\n",
            "8:24: 'title' is 201 characters (at most 200)",
        ),
        (
            MINIMAL + f"      - {{id: x, title: X, guidance: {LONG_PROSE}}}\n",
            "8:37: 'guidance' is 20,001 characters (at most 20,000)",
        ),
        (MINIMAL.replace("title: Decide", f"title: {LONG_TITLE}"), "5:12: 'title' is 201"),
        (MINIMAL.replace("title: Mini rollback", f"title: {LONG_TITLE}"), "2:8: 'title' is 201"),
        (
            MINIMAL.replace("title: Decide", f"title: Decide\n    summary: {LONG_PROSE}"),
            "6:14: 'summary' is 20,001 characters",
        ),
        (MINIMAL + f"description: {LONG_PROSE}\n", "8:14: 'description' is 20,001"),
    ],
)
def test_long_yaml_text_is_refused_where_it_is(problems: Problems, text: str, expected: str):
    found = messages(problems(text))
    assert len(found) == 1 and found[0].startswith(expected), found


def test_text_at_the_limit_is_accepted(write: WriteFile) -> None:
    title, prose = "T" * MAX_TITLE_CHARS, "g" * MAX_PROSE_CHARS
    runbook = load_runbook(
        write(MINIMAL + f"      - {{id: x, title: {title}, guidance: {prose}}}\n")
    )
    step = runbook.step("x")
    assert step is not None and (len(step.title), len(step.guidance)) == (200, 20_000)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"## Do\n- [ ] {LONG_TITLE}\n", "2:7: task title is 201 characters (at most 200)"),
        (f"## Do\n- [ ] It\n  {LONG_PROSE}\n", "2:1: the task's guidance is 20,001 characters"),
        (f"## {LONG_TITLE}\n- [ ] It\n", "1:4: phase title is 201 characters"),
        (f"## Phase 1: {LONG_TITLE} (T+0-5)\n- [ ] It\n", "1:4: phase title is 201"),
        (f"# {LONG_TITLE}\n## Do\n- [ ] It\n", "1:3: title is 201 characters"),
        (f"# T\n## Do\n{LONG_PROSE}\n- [ ] It\n", "2:1: the text under the heading is 20,001"),
        (f"# T\n\n{LONG_PROSE}\n## Do\n- [ ] It\n", "3:1: the description is 20,001"),
    ],
)
def test_long_markdown_text_is_refused_where_it_is(problems: Problems, text: str, expected: str):
    found = messages(problems(text, "plan.md"))
    assert len(found) == 1 and found[0].startswith(expected), found


def test_a_steps_from_task_title_is_held_to_the_limit(problems: Problems, write: WriteFile):
    write(f"## Do\n- [ ] {LONG_TITLE}\n", "tasks.md")
    text = MINIMAL.replace("    steps:\n      - {id: assess, title: Assess severity}\n", "")
    found = problems(text + "    steps_from: tasks.md\n")
    assert [(p.file.endswith("tasks.md"), p.line, p.col) for p in found] == [(True, 2, 7)]


def test_an_incident_declared_before_the_limits_still_reads(write: WriteFile) -> None:
    """A record keeps the runbook it was declared with; rules added since are for files."""
    data = runbook_to_data(load_runbook(write(MINIMAL)))
    phases = data["phases"]
    assert isinstance(phases, list) and isinstance(phases[0], dict)
    steps = phases[0]["steps"]
    assert isinstance(steps, list) and isinstance(steps[0], dict)
    steps[0]["title"] = LONG_TITLE
    data["probes"] = [
        {"name": "h", "kind": "http", "url": "http://h/", "interval_s": 0.1, "timeout_s": 0.1}
    ]
    runbook = runbook_from_data(data, "old.yaml")
    assert runbook.steps()[0].title == LONG_TITLE
    assert (runbook.probes[0].interval_s, runbook.probes[0].timeout_s) == (0.1, 0.1)
