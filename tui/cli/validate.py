"""`lastgood validate`: check runbook files before an incident needs them.

Problems go to stderr as FILE:LINE:COL lines, which editors jump to; `--json` puts
the same findings on stdout as one document, for CI jobs that gate a runbook change.
"""

from __future__ import annotations

import sys

from incident.core.events import JSONValue
from incident.core.text import counted, visible
from runbooks import Problem, inspect_runbook_file
from runbooks.env_reads import env_reads, in_clear_line, reads_line, secret_kinds, secrets_line
from runbooks.model import Runbook
from runbooks.template_wording import next_update_warnings
from runbooks.unenforced import guide_notes
from tui.cli.arguments import Arguments
from tui.cli.edges import os_path
from tui.cli.errors import CliError
from tui.cli.shown_stream import json_for_stdout


def cmd_validate(args: Arguments) -> int:
    if args.explain:
        if args.files or args.json:
            raise CliError("--explain prints the runbook format: give it no FILE and no --json")
        from runbooks.format_reference import reference_text

        print(reference_text(), end="")
        return 0
    if not args.files:
        raise CliError("name the runbook FILE(s) to check (or --explain for the runbook format)")
    files: list[JSONValue] = []
    problems = 0
    for name in args.files:
        runbook, found = inspect_runbook_file(os_path(name, "FILE"))
        problems += len(found)
        if args.json:
            files.append(_file_data(name, runbook, found))
            continue
        for problem in found:
            print(problem, file=sys.stderr)
        if runbook is not None:
            phases, steps = len(runbook.phases), len(runbook.steps())
            print(
                f"{visible(name)}: ok (runbook '{runbook.id}', {counted(phases, 'phase')}, "
                f"{counted(steps, 'step')})"
            )
            if reads := reads_line(runbook):  # a reviewer sees what leaves the bastion
                print(f"{visible(name)}: {visible(reads)}")
            if secrets := secrets_line(runbook):
                print(f"{visible(name)}: {visible(secrets)}")
            for note in guide_notes(runbook):  # teams adapt the guide: a note, exit 0
                print(f"{visible(name)}: note: {visible(note)}")
            if clear := in_clear_line(runbook):
                print(f"{visible(name)}: {visible(clear)}", file=sys.stderr)
            for warning in next_update_warnings(runbook):  # FILE:LINE:COL, as problems are
                print(warning, file=sys.stderr)
    if args.json:
        print(json_for_stdout({"ok": problems == 0, "files": files}))
    return 2 if problems else 0


def _file_data(name: str, runbook: Runbook | None, problems: list[Problem]) -> JSONValue:
    return {
        "file": name,
        "ok": runbook is not None,
        "runbook": None if runbook is None else runbook.id,
        "phases": None if runbook is None else len(runbook.phases),
        "steps": None if runbook is None else len(runbook.steps()),
        "notes": [] if runbook is None else list[JSONValue](guide_notes(runbook)),
        "reads": {} if runbook is None else _reads(runbook),
        "secrets": {} if runbook is None else dict[str, JSONValue](secret_kinds(runbook)[0]),
        "not_secrets": {} if runbook is None else _not_secrets(runbook),
        "warnings": [] if runbook is None else _warnings(runbook),
        "problems": [
            {
                "file": problem.file,
                "line": problem.line,
                "col": problem.col,
                "message": problem.message,
            }
            for problem in problems
        ],
    }


def _warnings(runbook: Runbook) -> list[JSONValue]:
    """What the runbook, valid as it is, does unsafely or says wrongly."""
    clear = in_clear_line(runbook)
    return [*([clear] if clear else []), *map(str, next_update_warnings(runbook))]


def _reads(runbook: Runbook) -> JSONValue:
    """Each variable the runbook reads, with the hosts it is sent to."""
    return {name: list[JSONValue](hosts) for name, hosts in env_reads(runbook).items()}


def _not_secrets(runbook: Runbook) -> JSONValue:
    """Each variable the runbook reads that holds no secret, with where it is used."""
    return {name: list[JSONValue](places) for name, places in secret_kinds(runbook)[1].items()}
