"""steps_from: runbooks built from Markdown plans, and how a runbook name resolves to a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from runbooks import (
    RunbookError,
    load_runbook,
    resolve_runbook,
)
from tests.runbooks.conftest import MINIMAL, Problems, WriteFile, messages


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

    def test_a_plan_under_several_headings_is_refused_naming_them(
        self, write: WriteFile, problems: Problems
    ) -> None:
        """Every section was appended to the one phase, its headings and windows
        dropped without a word, and validate said ok (ux_review8 #3)."""
        write(self.PLAN, "plans/deployment-plan.md")
        found = problems(self.runbook_text("plans/deployment-plan.md"))
        assert messages(found) == [
            "8:17: steps_from: 'plans/deployment-plan.md' has tasks under 2 headings "
            "(Rollback, Verification): name those this phase takes, as {file: "
            'plans/deployment-plan.md, section: "Verification"} (a list takes several; '
            "the phase's own title and window stand)"
        ]

    def test_a_list_of_sections_takes_each_in_order(self, write: WriteFile) -> None:
        write(self.PLAN, "plans/deployment-plan.md")
        sections = "{file: plans/deployment-plan.md, section: [verification, rollback]}"
        text = self.runbook_text(sections)
        runbook = load_runbook(write(text))
        steps = runbook.phases[0].steps
        assert [s.id for s in steps] == [
            "assess",
            "smoke",
            "switch-the-load-balancer-back",
            "assess-severity",
            "warm-caches",
        ]
        assert {s.phase_id for s in steps} == {"decide"}
        assert [s.required for s in steps] == [True, True, True, True, False]

    def test_a_section_list_names_the_one_not_found_where_it_is(
        self, write: WriteFile, problems: Problems
    ) -> None:
        write(self.PLAN, "plan.md")
        found = problems(self.runbook_text("{file: plan.md, section: [Rollback, Verify, 3]}"))
        assert messages(found) == ["8:42: 'section' must be a heading, or a list of headings"]
        found = problems(self.runbook_text("{file: plan.md, section: [Rollback, Verify]}"))
        assert [m.split(" in ")[0] for m in messages(found)] == ["8:53: no section 'Verify'"]

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
        """The first is in the YAML file: named, not "line 7" (of plan.md, which has one)."""
        plan = write("- [ ] Assess again {#assess}\n", "plan.md")
        found = problems(self.runbook_text("plan.md"))
        assert [str(p) for p in found] == [
            f"{plan}:1:1: duplicate step id 'assess' (first at {plan.parent / 'runbook.yaml'}:7)"
        ]

    def test_a_duplicate_of_a_later_yaml_step_names_the_yaml_file(
        self, write: WriteFile, problems: Problems
    ) -> None:
        plan = write("# P\n## S\n- [ ] Roll back {#roll}\n", "plan.md")
        later = "  - id: b\n    title: B\n    steps:\n      - {id: roll, title: Roll}\n"
        found = problems(self.runbook_text("plan.md") + later)
        assert [str(p) for p in found] == [
            f"{plan}:3:1: duplicate step id 'roll' (first at {plan.parent / 'runbook.yaml'}:12)"
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
        with pytest.raises(RunbookError):  # a name with a suffix is a path: not searched
            resolve_runbook("checklist.md", [tmp_path / "team"])

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
        assert str(raised.value) == f"no runbook file {tmp_path / 'nope.yaml'}"
