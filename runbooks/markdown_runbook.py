"""A parsed Markdown task list as a runbook: ids for its phases and steps, its problems.

Step and phase ids are slugs of their titles, made unique (`check`, `check-2`, ...);
an explicit `{#id}` is kept as written. See `runbooks.markdown_loader` for the syntax.
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Mapping, MutableMapping
from pathlib import Path

from runbooks.checks import UniqueIds, first_at, slugify, too_long
from runbooks.limits import MAX_PROSE_CHARS
from runbooks.markdown_loader import MarkdownDoc, MarkdownTask, parse_markdown
from runbooks.model import Phase, Runbook, Step
from runbooks.problems import Problem
from runbooks.source_text import read_source


def paragraphs(lines: list[str]) -> str:
    """Lines of prose as paragraphs: lines joined with spaces, paragraphs with newlines."""
    out: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            out.append(" ".join(current))
            current = []
    return "\n".join(out)


def assign_step_ids(
    tasks: list[MarkdownTask],
    taken: MutableMapping[str, str],
    unique: UniqueIds,
    file: str,
    avoided: Mapping[str, str] | None = None,
) -> tuple[list[str | None], list[Problem]]:
    """A step id for each task (None for one whose explicit id is a duplicate).

    `taken` maps ids already in use to where they were defined (`FILE:LINE`) and is updated;
    `unique` makes slugs unique against it and must be the same for every call
    with the same `taken`. Explicit `{#id}`s are claimed first, so no generated
    slug can take them. No generated slug takes an id of `avoided` either (the
    database tiers': a task "Restore backup" is `restore-backup-2`).
    """
    problems: list[Problem] = []
    claimed: dict[int, str] = {}
    for index, task in enumerate(tasks):
        wanted = task.explicit_id
        if wanted is None:
            continue
        if wanted in taken:
            message = f"duplicate step id '{wanted}' (first at {first_at(taken[wanted], file)})"
            problems.append(Problem(file, task.line, task.col, message))
            continue
        taken[wanted] = f"{file}:{task.line}"
        claimed[index] = wanted
    ids: list[str | None] = []
    in_use = taken if avoided is None else ChainMap(taken, dict(avoided))
    for index, task in enumerate(tasks):
        if task.explicit_id is not None:
            ids.append(claimed.get(index))
            continue
        step_id = unique.make(slugify(task.title, f"step-{index + 1}"), in_use)
        taken[step_id] = f"{file}:{task.line}"
        ids.append(step_id)
    return ids, problems


def task_step(task: MarkdownTask, step_id: str, phase_id: str) -> Step:
    return Step(
        id=step_id,
        title=task.title,
        phase_id=phase_id,
        guidance=task.guidance,
        required=task.required,
    )


def runbook_from_markdown(doc: MarkdownDoc, runbook_id: str, title: str) -> Runbook | None:
    """The runbook a parsed task list describes; structural problems go to `doc.problems`."""
    if doc.empty:
        return None
    file = doc.file
    syntax_ok = not doc.problems  # a malformed task line must not also read as "no tasks"
    if doc.loose_tasks:
        first = doc.loose_tasks[0]
        message = "task outside any phase (add a '## Phase' heading above it)"
        doc.problems.append(Problem(file, first.line, first.col, message))
    if not doc.all_tasks() and syntax_ok:
        message = "no tasks found (write '- [ ] task' lines under '## ' headings)"
        doc.problems.append(Problem(file, 1, 1, message))
    tasks = [task for section in doc.sections for task in section.tasks]
    ids, duplicates = assign_step_ids(tasks, {}, UniqueIds(), file)
    doc.problems.extend(duplicates)
    by_task = iter(ids)
    phases: list[Phase] = []
    phase_ids: set[str] = set()
    unique_phase = UniqueIds()
    for section in doc.sections:
        section_ids = [next(by_task) for _ in section.tasks]
        if not section.tasks:
            if section.window is not None and syntax_ok:
                message = f"phase '{section.title}' has no tasks"
                doc.problems.append(Problem(file, section.line, section.col, message))
            continue
        phase_id = unique_phase.make(slugify(section.title, f"phase-{len(phases) + 1}"), phase_ids)
        phase_ids.add(phase_id)
        steps = [
            task_step(task, step_id, phase_id)
            for task, step_id in zip(section.tasks, section_ids, strict=True)
            if step_id is not None
        ]
        summary = paragraphs(section.summary)
        if len(summary) > MAX_PROSE_CHARS:
            message = too_long("the text under the heading", len(summary), MAX_PROSE_CHARS)
            doc.problems.append(Problem(file, section.line, section.col, message))
        phases.append(
            Phase(
                id=phase_id,
                title=section.title or phase_id,
                window=section.window,
                summary=summary,
                steps=tuple(steps),
            )
        )
    description = paragraphs(doc.description)
    if len(description) > MAX_PROSE_CHARS:
        message = too_long("the description", len(description), MAX_PROSE_CHARS)
        doc.problems.append(Problem(file, doc.description_line, 1, message))
    if doc.problems:
        return None
    return Runbook(
        id=runbook_id,
        title=doc.title or title,
        phases=tuple(phases),
        description=description,
        source=file,
    )


def load_markdown_runbook(path: Path, file: str) -> tuple[Runbook | None, list[Problem]]:
    """Read and convert a Markdown task list; (runbook, []) or (None, problems)."""
    text, problems = read_source(path, file)
    if text is None:
        return None, problems
    doc = parse_markdown(text, file)
    stem = path.stem
    runbook = runbook_from_markdown(doc, slugify(stem, "runbook"), _title_from_stem(stem))
    return runbook, doc.problems


def _title_from_stem(stem: str) -> str:
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else "Runbook"


def several_sections(doc: MarkdownDoc, name: str) -> str | None:
    """Why a whole Markdown plan cannot be one phase's steps: its tasks stand under
    several headings, each a phase of its own (the example plan's `Rollback:
    application`, `Rollback: database` and `Verification`, all poured into one phase,
    and validate said ok); None when they stand under one heading at most."""
    headings = [section.title for section in doc.sections if section.tasks]
    groups = (["before the first heading"] if doc.loose_tasks else []) + headings
    if len(groups) <= 1:
        return None
    return (
        f"steps_from: '{name}' has tasks under {len(groups)} headings ({', '.join(groups)}): name "
        f'those this phase takes, as {{file: {name}, section: "{headings[-1]}"}} '
        "(a list takes several; the phase's own title and window stand)"
    )
