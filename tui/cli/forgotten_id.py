"""`lastgood check assess-severity`: the incident's ID left out, said as such.

Every verb on one incident takes its ID first, then its own arguments in order
(`check ID STEP`, `note ID TEXT`, `assign ID ROLE NAME`). Left out, argparse takes
the first argument as the ID and reports the last one missing (`required: STEP`),
which names the wrong mistake. When the word taken as the ID does not begin as
every incident ID does (`INC-`), this says what it is and the command with the ID
in its place, the options typed before the verb kept: `'assess-severity' is a step,
not an incident ID: lastgood check INC-... assess-severity`.

What the word is comes from the runbook, not from its shape: a step, a tier, a
trigger, a role, a probe or a template where the verb wants one and the runbook has
one by that name (`db-tier full` is no tier's). The runbook is the verb's `--runbook`
where it takes one; a verb on an incident names none (the incident's is in the
record, which a refusal does not open), so it is the one incidents are declared with
unless told otherwise, the bundled `rollback`. Any other word, or when that runbook
cannot be loaded, is said only not to be an incident ID.

The command line is read before anything of the domain is loaded
(`tests/test_cli_startup.py`); this is imported only to refuse, and loads the runbook
only when the verb wants one of its names.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable, Sequence

from incident.app.params import Param
from incident.app.verb import Scope, Verb
from tui.cli.arguments import INCIDENT_ID_PREFIX

TYPE_CHECKING = False  # the runbook's model is loaded with the runbook, when one is wanted
if TYPE_CHECKING:
    from runbooks.model import Runbook

ID_PLACEHOLDER = "INC-..."

REQUIRED = "the following arguments are required:"
"""How argparse begins its message for arguments not given."""

RUNBOOK_NAMES: dict[str, Callable[[Runbook], Iterable[str]]] = {
    "step": lambda runbook: (step.id for step in runbook.steps()),
    "tier": lambda runbook: (tier.id for tier in runbook.database_tiers),
    "trigger": lambda runbook: (trigger.id for trigger in runbook.triggers),
    "role": lambda runbook: runbook.roles,
    "probe": lambda runbook: (probe.name for probe in runbook.probes),
    "template": lambda runbook: (name for name, _ in runbook.templates),
}
"""What a parameter takes, by its name or each name of its metavar (`STEP|TIER`): the
runbook's names for it."""


def forgotten_id(
    verb: Verb,
    message: str,
    values: dict[str, object],
    words: list[str],
    before: Sequence[str] = (),
) -> str | None:
    """The refusal for `verb`'s `words` when argparse's `message` says an argument is
    missing because the first one in order was taken as the incident ID and is none;
    else None (argparse's message stands).

    `values` is what argparse read before it refused (the ID as typed, under `id`);
    `before` the words typed before the verb (`--db PATH`), kept in the command given.
    """
    given = values.get("id")
    if not message.startswith(REQUIRED) or verb.scope is Scope.GLOBAL:
        return None
    if not isinstance(given, str) or given.upper().startswith(INCIDENT_ID_PREFIX):
        return None  # none given, or an ID (maybe mistyped): argparse names what is missing
    order = [param for param in verb.params if param.positional]
    if not order or all(values.get(param.name) is not None for param in order if param.required):
        return None
    command = shlex.join(["lastgood", *before, verb.name, ID_PLACEHOLDER, *words])
    what = _called(order[0], given, values)
    return f"'{given}' is {what}not an incident ID: {command}"


def misplaced_id(verb: Verb, values: dict[str, object], words: list[str]) -> str | None:
    """The refusal for `check assess-severity INC-…`: the ID typed after the verb's own
    arguments, where the first of them was taken as the ID. Else None.

    `values` is argparse's reading (the word taken as the ID under `id`), `words` the
    whole command line after `lastgood`; the command given back has the ID moved first.
    """
    given = values.get("id")
    if not isinstance(given, str) or given.upper().startswith(INCIDENT_ID_PREFIX):
        return None
    order = [param for param in verb.params if param.positional]
    for param in order:
        value = values.get(param.name)
        if not isinstance(value, str) or not value.upper().startswith(INCIDENT_ID_PREFIX):
            continue
        if given not in words or value not in words:
            return None
        moved = list(words)
        moved.remove(value)
        moved.insert(moved.index(given), value)
        command = shlex.join(["lastgood", *moved])
        what = _called(order[0], given, values)
        return f"'{given}' is {what}not an incident ID; the ID goes first: {command}"
    return None


def _called(param: Param, word: str, values: dict[str, object]) -> str:
    """`word` named as what `param` takes ("a step, ") where the runbook has one by that
    name, or "" (it is said only not to be an incident ID)."""
    names = (param.metavar or param.name).lower().split("|")
    if not any(name in RUNBOOK_NAMES for name in names):
        return ""
    runbook = _runbook(values)
    if runbook is None:
        return ""
    what = [n for n in names if n in RUNBOOK_NAMES and word in RUNBOOK_NAMES[n](runbook)]
    return f"a {' or '.join(what)}, " if what else ""


def _runbook(values: dict[str, object]) -> Runbook | None:
    """The runbook `--runbook` names where the verb takes it, else the one incidents are
    declared with unless told otherwise; None when it cannot be loaded."""
    from incident.app.runbook_lookup import default_runbook, find_runbook
    from incident.core.errors import CommandError

    given = values.get("runbook")
    name = given if isinstance(given, str) else default_runbook()
    try:
        return find_runbook(name)
    except CommandError:
        return None
