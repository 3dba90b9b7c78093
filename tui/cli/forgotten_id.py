"""`lastgood check assess-severity`: the incident's ID left out, said as such.

Every verb on one incident takes its ID first, then its own arguments in order
(`check ID STEP`, `note ID TEXT`, `assign ID ROLE NAME`). Left out, argparse takes
the first argument as the ID and reports the last one missing (`required: STEP`),
which names the wrong mistake. When the word taken as the ID does not begin as
every incident ID does (`INC-`), this says what it is and the command with the ID
in its place: `'assess-severity' is a step, not an incident ID: lastgood check
INC-... assess-severity`. It is read from the command line alone, before anything of
the domain is loaded (`tests/test_cli_startup.py`), and imported only to refuse: a
word shaped like a runbook's ids, where the verb wants a step, a tier, a trigger, a
role, a probe or a template, is called that; any other word is said not to be an
incident ID.
"""

from __future__ import annotations

import shlex

from incident.app.params import Kind, Param
from incident.app.verb import Scope, Verb
from tui.cli.arguments import INCIDENT_ID_PREFIX

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


def forgotten_id(
    verb: Verb, message: str, values: dict[str, object], words: list[str]
) -> str | None:
    """The refusal for `verb`'s `words` when argparse's `message` says an argument is
    missing because the first one in order was taken as the incident ID and is none;
    else None (argparse's message stands).

    `values` is what argparse read before it refused (the ID as typed, under `id`).
    """
    given = values.get("id")
    if not message.startswith(REQUIRED) or verb.scope is Scope.GLOBAL:
        return None
    if not isinstance(given, str) or given.upper().startswith(INCIDENT_ID_PREFIX):
        return None  # none given, or an ID (maybe mistyped): argparse names what is missing
    order = [param for param in verb.params if param.positional]
    if not order or all(values.get(param.name) is not None for param in order if param.required):
        return None
    command = shlex.join(["lastgood", verb.name, ID_PLACEHOLDER, *words])
    what = _called(order[0], given)
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
        what = _called(order[0], given)
        return f"'{given}' is {what}not an incident ID; the ID goes first: {command}"
    return None


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
