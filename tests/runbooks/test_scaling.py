"""Loading stays linear in the size of a runbook: counted, not timed.

(`bench/runbook_validate.py` gives the times.) Each test counts work that grew
quadratically before: ids tried for repeated titles, `steps_from` files read,
Python lines run for a Markdown runbook twice as long.
"""

from __future__ import annotations

import sys
from collections.abc import Collection
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from runbooks import build_phases, checks, load_runbook, validate_runbook_file
from runbooks.checks import UniqueIds
from runbooks.limits import MAX_HINT_COMPARISONS
from tests.runbooks.conftest import WriteFile

PLAN = "## Verify\n\n- [ ] Check health\n- [ ] Confirm the version\n"


class CountingSet(set[str]):
    """A set that counts membership questions."""

    asked = 0

    def __contains__(self, item: object) -> bool:
        self.asked += 1
        return super().__contains__(item)


def test_unique_ids_do_not_try_taken_numbers_again() -> None:
    taken = CountingSet({"step-3"})
    unique = UniqueIds()
    made = []
    for _ in range(2000):
        made.append(unique.make("step", taken))
        taken.add(made[-1])
    assert made[:4] == ["step", "step-2", "step-4", "step-5"]
    assert len(set(made)) == 2000
    assert taken.asked <= 2 * 2000 + 1  # before: 2 million, one per number tried


def yaml_with_steps_from(phases: int) -> str:
    lines = ["runbook: big", "title: Big", "phases:"]
    lines += [f"  - {{id: p{n}, title: Verify, steps_from: plan.md}}" for n in range(phases)]
    return "\n".join(lines) + "\n"


def test_a_steps_from_file_is_read_once_however_many_phases_name_it(
    write: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(PLAN, "plan.md")
    reads: list[str] = []
    real = build_phases.read_source

    def counting(path: Path, file: str) -> Any:
        reads.append(file)
        return real(path, file)

    monkeypatch.setattr(build_phases, "read_source", counting)
    runbook = load_runbook(write(yaml_with_steps_from(300)))
    assert len(reads) == 1
    ids = [step.id for step in runbook.steps()]
    assert len(ids) == len(set(ids)) == 600
    assert ids[:4] == [
        "check-health",
        "confirm-the-version",
        "check-health-2",
        "confirm-the-version-2",
    ]


def test_steps_from_cannot_expand_a_runbook_past_the_step_limit(
    write: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each phase may take every task of a file; the total is bounded (MAX_STEPS)."""
    write(PLAN, "plan.md")
    monkeypatch.setattr(build_phases, "MAX_STEPS", 5)
    found = validate_runbook_file(write(yaml_with_steps_from(4)))
    assert [f"{p.line}:{p.col}: {p.message}" for p in found] == [
        "6:41: steps_from: the runbook would have more than 5 steps",
        "7:41: steps_from: the runbook would have more than 5 steps",
    ]


def markdown(phases: int) -> str:
    sections = ["Decide (T+0 to T+5 minutes)", "Execute (T+5-30)", "Verify", "Close-out"]
    body = "".join(
        f"\n## {sections[n % 4]}\n- [ ] **Stop deploys:** pause\n- [ ] Check health\n"
        for n in range(phases)
    )
    return "# Big\n" + body


def lines_run(path: Path) -> int:
    """Python lines executed by one validation (deterministic, unlike a time)."""
    count = 0

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        assert validate_runbook_file(path) == []
    finally:
        sys.settrace(None)
    return count


def test_markdown_work_doubles_when_the_runbook_doubles(write: WriteFile) -> None:
    """Four headings and two task titles repeat, so most ids are numbered. Before
    UniqueIds: 0.75, 2.6 and 9.8 million lines for 500, 1,000 and 2,000 phases (3.5x
    and 3.7x per doubling); now 0.20, 0.39 and 0.78 million (2.0x)."""
    counts = [lines_run(write(markdown(size), f"big-{size}.md")) for size in (500, 1000, 2000)]
    assert counts[1] / counts[0] <= 2.2, counts
    assert counts[2] / counts[1] <= 2.2, counts


def test_did_you_mean_work_is_bounded_and_every_mistake_still_reported(
    write: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2,000 steps naming an undefined template among 2,000: each guess compares with
    every template (4 million comparisons, minutes); guesses stop at the budget."""
    compared: list[int] = []
    real = checks.closest

    def counting(word: str, choices: Collection[str]) -> str | None:
        compared.append(len(choices))
        return real(word, choices)

    monkeypatch.setattr(checks, "closest", counting)
    lines = ["runbook: big", "title: Big", "templates:"]
    lines += [f"  note-{n}: 'Update {n}'" for n in range(2000)]
    lines.append("phases:")
    lines += [
        f"  - {{id: p{n}, title: P, steps: [{{id: s{n}, title: S, kind: communication, "
        f"template: nope-{n}}}]}}"
        for n in range(2000)
    ]
    found = validate_runbook_file(write("\n".join(lines) + "\n"))
    assert len(found) == 2000
    assert sum(compared) <= MAX_HINT_COMPARISONS
    assert found[0].message.startswith("template 'nope-0' is not defined under 'templates' (")
    assert found[-1].message == (
        "template 'nope-1999' is not defined under 'templates' (defined: note-0, note-1, "
        "note-2, note-3, note-4, note-5, note-6, note-7, note-8, note-9, note-10, note-11 "
        "and 1988 more)"
    )


def test_sections_are_found_by_name_ignoring_case_among_thousands(write: WriteFile) -> None:
    sections = "".join(f"## Part {n}\n- [ ] Task {n}\n" for n in range(3000))
    write(sections, "plan.md")
    lines = ["runbook: big", "title: Big", "phases:"]
    lines += [
        f"  - {{id: p{n}, title: P, steps_from: {{file: plan.md, section: part {n * 7}}}}}"
        for n in range(300)
    ]
    runbook = load_runbook(write("\n".join(lines) + "\n"))
    assert [phase.steps[0].title for phase in runbook.phases[:3]] == ["Task 0", "Task 7", "Task 14"]
