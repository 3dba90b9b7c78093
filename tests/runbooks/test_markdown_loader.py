"""Markdown task lists (`deployment-plan.md`, `rollback-checklist.md`) as runbooks."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from runbooks import BUNDLED_DIR, Problem, load_runbook, validate_runbook_file
from runbooks.model import DEFAULT_ROLES, StepKind, Window
from tests.runbooks.conftest import WriteFile, messages

Problems = Callable[..., list[Problem]]
EXAMPLES = BUNDLED_DIR / "examples"


def test_example_rollback_checklist_follows_the_guide() -> None:
    runbook = load_runbook(EXAMPLES / "rollback-checklist.md")
    assert (runbook.id, runbook.title) == ("rollback-checklist", "Rollback checklist")
    assert runbook.roles == DEFAULT_ROLES
    assert [(p.id, p.title, p.window) for p in runbook.phases] == [
        ("decision-and-communication", "Decision and Communication", Window(0, 5)),
        ("execute-rollback", "Execute Rollback", Window(5, 30)),
        ("verification", "Verification", Window(15, 45)),
        ("communication-and-post-mortem-prep", "Communication and Post-Mortem Prep", None),
    ]
    assert all(step.kind is StepKind.CHECK for step in runbook.steps())
    assert runbook.phases[0].summary == (
        "This is the immediate response once a critical issue is detected."
    )
    assess = runbook.step("assess-severity")
    assert assess is not None and assess.title == "Assess severity"
    assert assess.guidance == (
        "Quickly determine if the issue meets the pre-defined rollback triggers "
        "(e.g., error rate > 5%, core functionality broken)."
    )
    app = runbook.step("execute-application-rollback")
    assert app is not None
    assert app.guidance.splitlines() == [
        "Revert the application code.",
        "- Blue-Green: switch the load balancer back to the previous environment.",
        "- Rolling / Recreate: re-deploy the previous version.",
    ]
    optional = [s.title for s in runbook.steps() if not s.required]
    assert optional == ["Post a stakeholder update"]
    assert "Restore service first" in runbook.description


def test_example_deployment_plan() -> None:
    runbook = load_runbook(EXAMPLES / "deployment-plan.md")
    assert runbook.title == "Deployment plan: checkout-service 2.5.0"
    # "Release overview" has no tasks: it is prose and is skipped.
    assert [(p.id, p.window) for p in runbook.phases] == [
        ("rollback-application", Window(5, 30)),
        ("rollback-database", None),
        ("verification", Window(15, 45)),
    ]
    switch = runbook.step("switch-traffic-back")
    assert switch is not None
    assert switch.guidance == (
        "Point the load balancer at the blue (2.4.0) environment.\n\n"
        "    ./lb switch --to blue"  # the fenced command indented, its fences gone
    )
    keep = runbook.step("keep-green-running-for-diagnosis")
    assert keep is not None and not keep.required


@pytest.mark.parametrize(
    ("heading", "title", "window"),
    [
        (
            "Phase 1: Decision and Communication (T+0 to T+5 minutes)",
            "Decision and Communication",
            Window(0, 5),
        ),
        ("Execute Rollback (T+5 to T+30 minutes)", "Execute Rollback", Window(5, 30)),
        ("Execute Rollback T+5\u201330", "Execute Rollback", Window(5, 30)),
        ("Execute Rollback T+5-30", "Execute Rollback", Window(5, 30)),
        ("Execute Rollback (T+5\u2014T+30m)", "Execute Rollback", Window(5, 30)),
        ("Verification (T+15 to T+45 min)", "Verification", Window(15, 45)),
        ("T+15-45: Verification", "Verification", Window(15, 45)),
        ("Close-out (T+45+)", "Close-out", Window(45, None)),
        ("Close-out T+45", "Close-out", Window(45, None)),
        ("Execute (T+0 to T+2 hours)", "Execute", Window(0, 120)),  # not "Execute hours)"
        ("Execute (T+0 to T+2h)", "Execute", Window(0, 120)),
        # not "Execute , in parallel)"
        ("Execute (T+0 to T+2 hours, in parallel)", "Execute (in parallel)", Window(0, 120)),
        ("Execute (T+30 min to T+2 hrs)", "Execute", Window(30, 120)),
        ("Execute (T+1 hour to T+90 minutes)", "Execute", Window(60, 90)),
        ("Day two (T+1 day)", "Day two", Window(1440, None)),
        ("Day two (T+1-2 days)", "Day two", Window(1440, 2880)),
        ("Phase 1 (T+0 to T+5 minutes)", "Phase 1", Window(0, 5)),  # not "empty heading"
        ("Phase 2: Execute (T+5-30)", "Execute", Window(5, 30)),
        ("Phase 4: Communication and Post-Mortem Prep", "Communication and Post-Mortem Prep", None),
        ("2. Execute", "Execute", None),
        ("Execute ##", "Execute", None),
    ],
)
def test_heading_windows(write: WriteFile, heading: str, title: str, window: Window | None) -> None:
    runbook = load_runbook(write(f"## {heading}\n- [ ] Do it\n", "plan.md"))
    (phase,) = runbook.phases
    assert (phase.title, phase.window) == (title, window)


def test_task_syntax_variants(write: WriteFile) -> None:
    text = """\
# Checklist

## Do
   - [ ] Indented up to three spaces
- [ ] Plain task
- [x] Ticked task
* [ ] Star task
+ [X] Plus task
    - [ ] indented under the task above: its guidance
- [ ] Optional task (optional)
- [ ] Explicit id {#custom-id}
- [ ] Both {#both} (Optional)
- [ ] **Bold lead:** with guidance
- [ ] **Bold in** a sentence
- [ ] Task with guidance
  Indented lines are its guidance,
  joined into paragraphs.

  Then a guidance paragraph.
  - a sub-bullet
  - [ ] a sub-task
- [ ] Lazy
continuation line
- [docs](https://example.com) are not tasks
- [ ] Plain task
"""
    runbook = load_runbook(write(text, "checklist.md"))
    steps = runbook.steps()
    assert [(s.id, s.title, s.required) for s in steps] == [
        ("indented-up-to-three-spaces", "Indented up to three spaces", True),
        ("plain-task", "Plain task", True),
        ("ticked-task", "Ticked task", True),
        ("star-task", "Star task", True),
        ("plus-task", "Plus task", True),
        ("optional-task", "Optional task", False),
        ("custom-id", "Explicit id", True),
        ("both", "Both", False),
        ("bold-lead", "Bold lead", True),
        ("bold-in-a-sentence", "Bold in a sentence", True),
        ("task-with-guidance", "Task with guidance", True),
        ("lazy", "Lazy", True),
        ("plain-task-2", "Plain task", True),
    ]
    by_id = {s.id: s for s in steps}
    assert by_id["plus-task"].guidance == "- [ ] indented under the task above: its guidance"
    assert by_id["bold-lead"].guidance == "with guidance"
    assert by_id["task-with-guidance"].guidance == (
        "Indented lines are its guidance, joined into paragraphs.\n\n"
        "Then a guidance paragraph.\n- a sub-bullet\n- [ ] a sub-task"
    )
    assert by_id["lazy"].guidance == "continuation line"
    assert "[docs](https://example.com) are not tasks" in runbook.phases[0].summary


def test_ids_are_unique_slugs(write: WriteFile) -> None:
    text = """\
## Verify
- [ ] Verify
- [ ] Vérifier l'état
- [ ] 检查
## Verify
- [ ] Verify
- [ ] Take {#verify-2}
"""
    runbook = load_runbook(write(text, "plan.md"))
    assert [p.id for p in runbook.phases] == ["verify", "verify-2"]
    assert [s.id for s in runbook.steps()] == [
        "verify",
        "verifier-l-etat",
        "step-3",
        "verify-3",
        "verify-2",
    ]
    assert [s.phase_id for s in runbook.steps()] == ["verify"] * 3 + ["verify-2"] * 2


def test_title_from_file_name_without_h1(write: WriteFile) -> None:
    runbook = load_runbook(write("## Do\n- [ ] It\n", "rollback_checklist.md"))
    assert (runbook.id, runbook.title) == ("rollback-checklist", "Rollback checklist")


def test_code_fences_are_not_structure(write: WriteFile) -> None:
    text = """\
## Do
- [ ] Run the script
```
- [ not a task
## not a heading
```
- [ ] Next
"""
    runbook = load_runbook(write(text, "plan.md"))
    first, second = runbook.steps()
    assert first.guidance == "    - [ not a task\n    ## not a heading"
    assert second.title == "Next"


def test_subheadings_and_rules_inside_a_phase(write: WriteFile) -> None:
    text = "## Do\n### Details\nSome prose.\n\n---\n<!-- note -->\n- [ ] It\n"
    runbook = load_runbook(write(text, "plan.md"))
    assert runbook.phases[0].summary == "Details Some prose."


def test_crlf_and_bom(write: WriteFile) -> None:
    data = b"\xef\xbb\xbf# T\r\n## Do\r\n- [ ] It\r\n  more\r\n"
    runbook = load_runbook(write(data, "plan.md"))
    assert runbook.title == "T"
    assert (runbook.steps()[0].title, runbook.steps()[0].guidance) == ("It", "more")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1:1: empty runbook"),
        ("   \n\n", "1:1: empty runbook"),
        ("# Only a title\n", "1:1: no tasks found"),
        ("- [ ] Loose\n- [ ] Loose too\n", "1:1: task outside any phase"),
        ("## Do\n- [\n", "2:3: unclosed task checkbox"),
        ("## Do\n- [ x ] It\n", "2:3: malformed task checkbox '[ x ]'"),
        ("## Do\n- [] It\n", "2:3: malformed task checkbox '[]'"),
        ("## Do\n- [ ] (optional)\n", "2:3: empty task"),
        ("## Do\n- [ ] {#id}\n", "2:3: empty task"),
        ("## Do (T+10 to T+10)\n- [ ] It\n", "1:7: window is empty: end equals start (10)"),
        ("## Do (T+0 to T+20000)\n- [ ] It\n", "1:7: window minutes must be at most 10080"),
        (
            "## Do (T+0 to T+8 days)\n- [ ] It\n",
            "1:7: window minutes must be at most 10080 (got 8 days, 11520 minutes)",
        ),
        (
            "## Next week (T+2 weeks)\n- [ ] It\n",
            "1:19: window unit 'weeks' not understood: write minutes, hours or days",
        ),
        ("## Soon (T+0 to T+30 s)\n- [ ] It\n", "1:22: window unit 's' not understood"),
        ("## (T+0 to T+5 minutes)\n- [ ] It\n", "1:1: heading has a window but no title"),
        ("#\n## Do\n- [ ] It\n", "1:1: empty heading"),
        (
            "## Do\n- [ ] A {#x}\n## Again\n- [ ] B {#x}\n",
            "4:1: duplicate step id 'x' (first at line 2)",
        ),
    ],
)
def test_markdown_problems(problems: Problems, text: str, expected: str) -> None:
    found = problems(text, "plan.md")
    assert any(m.startswith(expected) for m in messages(found)), messages(found)


def test_a_file_with_several_problems_reports_each(problems: Problems) -> None:
    found = problems("- [ ] Loose\n## \n- [y] Bad\n## Do (T+9 to T+1)\n- [ ] Fine\n", "plan.md")
    assert messages(found) == [
        "1:1: task outside any phase (add a '## Phase' heading above it)",
        "2:1: empty heading",
        "3:3: malformed task checkbox '[y]' (write '- [ ] task' or '- [x] task', "
        "with a space after ']')",
        "4:7: window end (1) is before start (9)",
    ]


def test_markdown_suffix_is_case_insensitive(write: WriteFile) -> None:
    assert validate_runbook_file(write("## Do\n- [ ] It\n", "PLAN.MD")) == []
