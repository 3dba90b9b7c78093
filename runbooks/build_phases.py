"""Phases and their steps, including steps taken from Markdown (`steps_from`)."""

from __future__ import annotations

import os
from collections import ChainMap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from runbooks.build_context import STEPS_FROM_KEYS, BuildContext
from runbooks.build_declared import read_done_by_declaration
from runbooks.build_verify import read_verify
from runbooks.checks import UniqueIds, first_at
from runbooks.command_text import command_problems
from runbooks.data_path import INVALID, DataPath
from runbooks.fields import Fields, is_list
from runbooks.limits import MAX_STEPS, MAX_WINDOW_MIN
from runbooks.model import (
    DeploymentPattern,
    Phase,
    Step,
    StepKind,
    Window,
)
from runbooks.problems import Problem
from runbooks.source_text import read_source

if TYPE_CHECKING:
    from runbooks.markdown_loader import MarkdownDoc, MarkdownTask

YAML_SUFFIXES = (".yaml", ".yml")

STEPS_FROM_TAKES = "steps_from takes a Markdown checklist ('- [ ] ' tasks)"

WINDOW_SHAPE = "'window' must be a list of two integers [start, end]"

KIND_ONLY: dict[str, tuple[StepKind, ...]] = {
    "template": (StepKind.COMMUNICATION,),
    "probe": (StepKind.VERIFICATION,),
    "evidence": (StepKind.VERIFICATION,),
    "command": (StepKind.COMMAND,),
    "verify": (StepKind.COMMAND,),
    "done_by_declaration": (StepKind.CHECK,),
}


class PhaseRules(BuildContext):
    """Reads phases, windows and steps, and checks each step against its kind."""

    markdown_docs: dict[str, tuple[MarkdownDoc | None, list[Problem]]]
    """Each `steps_from` file read once, however many phases name it."""
    step_slugs: UniqueIds
    """Makes the ids of Markdown tasks unique across every `steps_from`."""

    def read_phases(self, top: Fields) -> list[Phase]:
        self.markdown_docs = {}
        self.step_slugs = UniqueIds()
        if not top.given("phases"):
            top.missing("phases")
            return []
        entries = self.entries(top, "phases", "phase")
        items = top.get("phases")
        if isinstance(items, list | tuple):
            if not items:
                top.report("phases", "'phases' must list at least one phase")
            self.explicit_step_ids = self.scan_step_ids(items)
        phases: list[Phase] = []
        ids: dict[str, DataPath] = {}
        for _path, fields in entries:
            phase_id = fields.ident("id", "phase id")
            if phase_id is not None:
                fields.what = f"phase '{phase_id}'"
                if not self.unique(ids, phase_id, fields.at("id"), "phase id"):
                    phase_id = None
            title = fields.text("title", required=True)
            window = self.read_window(fields)
            summary = fields.text("summary") or ""
            before = len(self.rep.problems)
            steps = [
                step
                for _step_path, step_fields in self.entries(fields, "steps", "step")
                if (step := self.read_step(step_fields, phase_id or "")) is not None
            ]
            steps += self.read_steps_from(fields, phase_id or "")
            written = fields.get("steps")  # entries refused while parsing were reported then
            refused = INVALID in (written, fields.get("steps_from"))  # as was a bad tag
            if (
                not steps
                and not (is_list(written) and written)
                and not refused
                and len(self.rep.problems) == before
            ):
                fields.rep.report(fields.path, f"{fields.what} has no steps")
            if phase_id is None or title is None:
                continue
            phases.append(Phase(phase_id, title, window, summary, tuple(steps)))
        return phases

    def scan_step_ids(self, phases: Sequence[object]) -> dict[str, str]:
        """Step ids written in the file, so ids made for Markdown tasks avoid them."""
        found: dict[str, str] = {}
        for phase_index, phase in enumerate(phases):
            steps = phase.get("steps") if isinstance(phase, Mapping) else None
            if not isinstance(steps, list | tuple):
                continue
            for step_index, step in enumerate(steps):
                if isinstance(step, Mapping) and isinstance(step.get("id"), str):
                    path = ("phases", phase_index, "steps", step_index, "id")
                    found.setdefault(step["id"], self.rep.place(path))
        return found

    def read_window(self, fields: Fields) -> Window | None:
        value = fields.get("window")
        path = fields.at("window")
        if value is None or value is INVALID:
            return None
        if not is_list(value) or len(value) != 2:  # type: ignore[arg-type]
            self.rep.report(path, f"{WINDOW_SHAPE} (end may be null for open-ended)")
            return None
        assert isinstance(value, list | tuple)
        start, end = value
        ok = True
        for index, edge in enumerate((start, end)):
            if edge is INVALID:
                ok = False
            elif (edge is not None or index == 0) and (
                isinstance(edge, bool) or not isinstance(edge, int)
            ):
                self.rep.report((*path, index), WINDOW_SHAPE)
                ok = False
            elif isinstance(edge, int) and edge > MAX_WINDOW_MIN:
                self.rep.report((*path, index), f"window minutes must be at most {MAX_WINDOW_MIN}")
                ok = False
        if not ok:
            return None
        assert isinstance(start, int) and (end is None or isinstance(end, int))
        if start < 0:
            self.rep.report((*path, 0), f"window start must not be negative (got {start})")
            return None
        if end is not None and end < start:
            self.rep.report((*path, 1), f"window end ({end}) is before start ({start})")
            return None
        if end is not None and end == start:
            self.rep.report((*path, 1), f"window is empty: end equals start ({start})")
            return None
        return Window(start, end)

    def read_step(self, fields: Fields, phase_id: str) -> Step | None:
        step_id = fields.ident("id", "step id")
        if step_id is not None:
            fields.what = f"step '{step_id}'"
            if step_id in self.step_ids:
                first = first_at(self.step_ids[step_id], self.rep.file)
                fields.report("id", f"duplicate step id '{step_id}' (first at {first})")
                step_id = None
            else:
                self.step_ids[step_id] = self.rep.place(fields.at("id"))
                if clash := self.tier_clash(step_id):
                    fields.report("id", clash)
        title = fields.text("title", required=True)
        kind = fields.choice("kind", StepKind, "step kind") or (
            None if fields.given("kind") else StepKind.CHECK
        )
        guidance = fields.text("guidance") or ""
        owner = self.role(fields, "owner")
        required = fields.flag("required", True)
        approver = self.role(fields, "approver")
        patterns = self.read_step_patterns(fields)
        template = probe = evidence = command = None
        if kind is not None:
            for key, kinds in KIND_ONLY.items():
                if kind not in kinds:
                    fields.not_for((key,), f"only applies to {kinds[0].value} steps")
            template, probe, evidence, command = self.kind_rules(fields, kind, step_id)
        verify = read_verify(fields) if kind is StepKind.COMMAND else None
        done_by = read_done_by_declaration(fields) if kind is StepKind.CHECK else None
        if step_id is None or title is None or kind is None:
            return None
        return Step(
            id=step_id,
            title=title,
            phase_id=phase_id,
            kind=kind,
            guidance=guidance,
            owner=owner,
            required=required,
            approver=approver,
            template=template,
            probe=probe,
            evidence=evidence,
            command=command,
            patterns=patterns,
            verify=verify,
            done_by_declaration=done_by,
        )

    def kind_rules(
        self, fields: Fields, kind: StepKind, step_id: str | None
    ) -> tuple[str | None, str | None, str | None, str | None]:
        template = probe = evidence = command = None
        if kind is StepKind.APPROVAL and not fields.given("approver"):
            fields.rep.report(
                fields.at("kind"), f"approval step needs an 'approver' role (in {fields.what})"
            )
        elif kind is StepKind.COMMUNICATION:
            template = fields.text("template", required=True)
            if template is not None and template not in self.templates:
                if template not in self.template_keys:
                    hint = self.rep.hint(template, self.templates, "defined")
                    fields.report(
                        "template", f"template '{template}' is not defined under 'templates'{hint}"
                    )
                template = None
        elif kind is StepKind.VERIFICATION:
            probe = self.probe_ref(fields) if fields.given("probe") else None
            evidence = fields.text("evidence")
        elif kind is StepKind.COMMAND:
            command = fields.text("command", required=True)
            if not self.rep.recorded:  # a snapshot passed the rules of its day
                for problem in command_problems(command or ""):
                    fields.report("command", problem)
        elif kind is StepKind.DATABASE:
            if self.tier_count == 0:
                fields.rep.report(
                    fields.at("kind"), "a database step needs 'database_tiers' in the runbook"
                )
            if self.database_step is not None:
                fields.rep.report(
                    fields.at("kind"),
                    f"only one database step is allowed (first: '{self.database_step}')",
                )
            else:
                self.database_step = step_id or "?"
        return template, probe, evidence, command

    def read_step_patterns(self, fields: Fields) -> tuple[DeploymentPattern, ...]:
        value = fields.get("patterns")
        path = fields.at("patterns")
        if value is None or value is INVALID:
            return ()
        items: Sequence[object] = [value] if isinstance(value, str) else ()
        if is_list(value):
            assert isinstance(value, list | tuple)
            items = value
        elif not isinstance(value, str):
            self.rep.report(path, "'patterns' must be a list of deployment patterns")
            return ()
        if not items:
            self.rep.report(path, "'patterns' must not be empty (leave it out for every pattern)")
        found: list[DeploymentPattern] = []
        for index, item in enumerate(items):
            at = (*path, index) if is_list(value) else path
            if item is INVALID:
                continue
            if not isinstance(item, str):
                self.rep.report(at, "each pattern must be a string")
                continue
            pattern = self.pattern_ref(at, item)
            if pattern in found:
                self.rep.report(at, f"pattern '{item}' is listed twice")
            elif pattern is not None:
                found.append(pattern)
        return tuple(found)

    def read_steps_from(self, fields: Fields, phase_id: str) -> list[Step]:
        value = fields.get("steps_from")
        path = fields.at("steps_from")
        if value is None or value is INVALID:
            return []
        sections: list[tuple[str, DataPath]] | None = None
        section_path = path
        if isinstance(value, str):
            name: str | None = value
        elif isinstance(value, Mapping):
            spec = Fields(self.rep, path, value, STEPS_FROM_KEYS, "steps_from")
            name = spec.text("file", required=True)
            section_path = spec.at("section")
            if spec.given("section"):
                sections = self.section_names(spec)
                if sections is None:
                    return []
        else:
            self.rep.report(path, "'steps_from' must be a file name or {file: ..., section: ...}")
            return []
        if name is None:
            return []
        if not name.strip():
            self.rep.report(path, "'steps_from' must not be empty")
            return []
        md_file = str(self.base_dir / name)
        not_markdown = self.not_a_checklist(md_file)
        if not_markdown is not None:
            self.rep.report(path, f"steps_from: {md_file} {not_markdown}; {STEPS_FROM_TAKES}")
            return []
        doc, problems = self.markdown_doc(md_file)
        if doc is None:
            for problem in problems:
                reason = problem.message.removeprefix("cannot read runbook: ")
                self.rep.report(path, f"steps_from: cannot use {md_file}: {reason}")
            return []
        if doc.problems:
            return []
        tasks: list[MarkdownTask]
        if sections is None:
            from runbooks.markdown_runbook import several_sections

            if (several := several_sections(doc, name)) is not None:
                self.rep.report(path, several)
                return []
            tasks = doc.all_tasks()
            where = f"'{name}'"
        else:
            tasks = []
            for section, at in sections:
                chosen = doc.section(section)
                if chosen is None:
                    hint = self.rep.hint(section, doc.titles(), "sections")
                    self.rep.report(at, f"no section '{section}' in {md_file}{hint}")
                    return []
                tasks += chosen.tasks
            named = ", ".join(f"'{section}'" for section, _at in sections)
            where = f"section {named} of '{name}'" if len(sections) == 1 else f"sections {named}"
        if not tasks:
            self.rep.report(section_path, f"{where} has no '- [ ] task' lines")
            return []
        if len(self.step_ids) + len(tasks) > MAX_STEPS:
            self.rep.report(path, f"steps_from: the runbook would have more than {MAX_STEPS} steps")
            return []
        from runbooks.markdown_runbook import assign_step_ids, task_step

        # Ids claimed here go to step_ids; ids written later in the file are avoided.
        taken = ChainMap(self.step_ids, self.explicit_step_ids)
        ids, duplicates = assign_step_ids(
            tasks, taken, self.step_slugs, md_file, avoided=self.tier_places
        )
        self.rep.add(duplicates)
        for task, step_id in zip(tasks, ids, strict=True):  # a `{#id}` a tier has
            if step_id is not None and (clash := self.tier_clash(step_id, md_file)):
                self.rep.add([Problem(md_file, task.line, task.col, clash)])
        return [
            task_step(task, step_id, phase_id)
            for task, step_id in zip(tasks, ids, strict=True)
            if step_id is not None
        ]

    def section_names(self, spec: Fields) -> list[tuple[str, DataPath]] | None:
        """`section:` as written: one heading, or a list of them, each with where it is."""
        value = spec.get("section")
        at = spec.at("section")
        if isinstance(value, str) and value.strip():
            return [(value, at)]
        if is_list(value) and value:
            assert isinstance(value, list | tuple)
            named = [(item, (*at, index)) for index, item in enumerate(value)]
            if all(isinstance(item, str) and item.strip() for item, _at in named):
                return [(str(item), where) for item, where in named]
        self.rep.report(at, "'section' must be a heading, or a list of headings")
        return None

    def not_a_checklist(self, md_file: str) -> str | None:
        """What `md_file` is when it is this runbook or another YAML file, which read as
        Markdown gave a problem per comment line (`# ...`, a second title heading)."""
        try:
            if os.path.samefile(md_file, self.source):
                return "is this runbook itself"
        except (OSError, ValueError):  # one of them missing (told when it is read), a NUL
            pass
        if Path(md_file).suffix.lower() in YAML_SUFFIXES:
            return "is a YAML file"
        return None

    def markdown_doc(self, md_file: str) -> tuple[MarkdownDoc | None, list[Problem]]:
        """The parsed file (its syntax problems reported once), or why it cannot be read.

        The Markdown reader is imported here, by the runbooks that use it: an
        incident's snapshot has its steps inline and is rebuilt without it."""
        if md_file not in self.markdown_docs:
            from runbooks.markdown_loader import parse_markdown

            text, problems = read_source(Path(md_file), md_file)
            doc = None if text is None else parse_markdown(text, md_file)
            if doc is not None:
                self.rep.add(doc.problems)
            self.markdown_docs[md_file] = (doc, problems)
        return self.markdown_docs[md_file]
