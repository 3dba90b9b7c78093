"""Which runbook a new incident follows: found by name or path, as every face asks.

`lastgood declare --runbook NAME|PATH` and the TUI's declare form both name the runbook
in text; both find it here, so the same text finds the same file and a bad one is
refused in the same words.
"""

from __future__ import annotations

from pathlib import Path

from incident.core.errors import CommandError
from runbooks.model import Runbook
from runbooks.problems import RunbookError


def find_runbook(name_or_path: str) -> Runbook:
    """The runbook `name_or_path` names: a bundled runbook's NAME such as `rollback`, or
    a PATH (a `/` or a `.` in it), that file and never a bundled one (`runbooks.resolve`).

    Refused with its first problem, e.g. "runbook: rolback:1:1: unknown runbook
    'rolback' (did you mean 'rollback'? ...)"; `needs` names the `runbook` parameter.
    """
    from runbooks.loading import load_runbook  # the YAML and Markdown loaders, when needed
    from runbooks.resolve import RunbookNotFound, resolve_runbook

    try:
        return load_runbook(resolve_runbook(name_or_path))
    except RunbookNotFound as error:  # no file to point into: the sentence alone
        raise CommandError(str(error), needs=("runbook",)) from None
    except RunbookError as error:
        first = error.problems[0] if error.problems else error
        more = ""
        if len(error.problems) > 1:  # one line here; `validate` lists them all
            import shlex

            validate = f"lastgood validate {shlex.quote(name_or_path)}"
            more = f" (and {len(error.problems) - 1} more: {validate})"
        raise CommandError(f"runbook: {first}{more}", needs=("runbook",)) from None


def runbook_name(runbook: Runbook) -> str:
    """How to name `runbook` so that `find_runbook` finds it again: a bundled one by
    its name (`rollback`), another by the path it was loaded from, one loaded from
    elsewhere (an incident's snapshot) by its id."""
    from runbooks.resolve import BUNDLED_DIR, is_path

    if not runbook.source:
        return runbook.id
    source = Path(runbook.source)
    try:
        bundled = source.resolve().parent == BUNDLED_DIR
    except OSError:
        bundled = False
    if bundled:
        return source.stem
    # a file named without a `/` or a `.` would be read as a bundled runbook's name
    return runbook.source if is_path(runbook.source) else f"./{runbook.source}"
