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


BUNDLED_DEFAULT = "rollback"
"""The bundled runbook a new incident follows when nothing else is named or found."""
INIT_FILE = "./lastgood.yaml"
"""What `lastgood init` writes (its `-o` default), as the faces name it."""
INIT_FILE_NOTE = (
    f"using {INIT_FILE} (written by lastgood init); --runbook {BUNDLED_DEFAULT} for the bundled one"
)
"""What `declare` says on stderr when it takes `INIT_FILE` without being told to."""


def default_runbook(working_dir: Path | None = None) -> str:
    """The runbook a new incident follows when `--runbook` is not given: `INIT_FILE`
    when there is one in the working directory, else the bundled `rollback`. The file
    `init` just wrote was passed over for the bundled plan, its probes and rollback
    command lost without a word (ux_review11 #2). A broken one is refused by
    `find_runbook` naming FILE:LINE:COL, never passed over for the bundled one."""
    here = Path.cwd() if working_dir is None else working_dir
    return INIT_FILE if (here / INIT_FILE).is_file() else BUNDLED_DEFAULT


def runbook_name(runbook: Runbook) -> str:
    """How to name `runbook` so that `find_runbook` finds it again: a bundled one by
    its name (`rollback`), another by the path it was loaded from, one loaded from
    elsewhere (an incident's snapshot) by its id."""
    from runbooks.resolve import BUNDLED_DIR

    if not runbook.source:
        return runbook.id
    source = Path(runbook.source)
    try:
        bundled = source.resolve().parent == BUNDLED_DIR
    except OSError:
        bundled = False
    if bundled:
        return source.stem
    # a file named without a `/` would read as a bundled runbook's name (no `.`), or
    # look like one (`lastgood.yaml`): `./` says it is the file here
    return (
        runbook.source if "/" in runbook.source or "\\" in runbook.source else f"./{runbook.source}"
    )
