"""`lastgood check assess-severity`: the incident's ID left out, said as such.

Every verb on one incident takes its ID first, then its own arguments in order
(`check ID STEP`, `note ID TEXT`, `assign ID ROLE NAME`). Left out, argparse takes
the first argument as the ID and reports the last one missing (`required: STEP`),
which names the wrong mistake. When the word taken as the ID does not begin as
every incident ID does (`INC-`), this says what it is and the command with the ID
in its place: `'assess-severity' is a step, not an incident ID: lastgood check
INC-... assess-severity`. It is read from the command line alone, before anything of
the domain is loaded (`tests/test_cli_startup.py`): a word shaped like a runbook's
ids, where the verb wants a step, a tier, a trigger, a role, a probe or a template,
is called that; any other word is said not to be an incident ID.
"""

from __future__ import annotations

from incident.app.params import Kind, Param
from incident.app.verb import Scope, Verb

INCIDENT_ID_PREFIX = "INC-"
"""How every incident ID begins (`incident.commands.lifecycle.new_incident_id`), and
no verb: a word starting so where the verb goes is an ID for `start`
(`tui.cli.parser.implied_start`)."""

ID_PLACEHOLDER = "INC-..."

REQUIRED = "the following arguments are required:"
"""How argparse begins its message for arguments not given."""

RUNBOOK_ID_KINDS = (Kind.STEP, Kind.CHOICE)
"""Kinds whose value is one of the runbook's ids (a step, a tier, a trigger, a role,
a probe, a template): a word shaped like one is called by the parameter's name."""

_ID_PUNCTUATION = "._-"
_LONGEST_ID = 64
"""A runbook's ids: a letter or digit, then letters, digits, `.`, `_` or `-`, at most 64
(`runbooks.checks`)."""


def forgotten_id(verb: Verb, values: dict[str, object], words: list[str]) -> str | None:
    """The refusal for `verb`'s `words` when their first argument in order was taken as
    the incident ID and is none, so an argument of the verb's own is missing; else None.

    `values` is what argparse read before it refused (the ID as typed, under `id`).
    """
    given = values.get("id")
    if verb.scope is Scope.GLOBAL or not isinstance(given, str):
        return None
    if given.upper().startswith(INCIDENT_ID_PREFIX):
        return None  # an ID, maybe mistyped: the argument after it is what is missing
    order = [param for param in verb.params if param.positional]
    if not order or all(values.get(param.name) is not None for param in order if param.required):
        return None
    import shlex  # here: only this refusal quotes a command line

    command = shlex.join(["lastgood", verb.name, ID_PLACEHOLDER, *words])
    what = _called(order[0], given)
    return f"'{given}' is {what}not an incident ID: {command}"


def _called(param: Param, word: str) -> str:
    """`word` named as what `param` takes ("a step, "), or "" when it says nothing."""
    if param.kind not in RUNBOOK_ID_KINDS or not _runbook_id_shaped(word):
        return ""
    names = (param.metavar or param.name).lower().split("|")
    return f"a {' or '.join(names)}, "


def _runbook_id_shaped(word: str) -> bool:
    return (
        0 < len(word) <= _LONGEST_ID
        and word[0].isascii()
        and word[0].isalnum()
        and all(c.isascii() and (c.isalnum() or c in _ID_PUNCTUATION) for c in word)
    )
