"""Names of people: what may stand for a person in the record, and what may not.

The record, the messages and the report name who did what. A word that names nobody
("you", a placeholder) or a machine account ("root", the login on a bastion) would
sign a root cause "root:" and tell stakeholders "Incident commander: you", so it is
refused wherever a person is named, and the faces ask for a real name instead of
falling back to it.

A name holding a control character (an escape sequence, a newline, a right-to-left
override, a zero-width space: what `incident.core.text` shows as a stand-in) is
refused too, where it is typed: the record would hold `Ada␛[31m` as commander, whom
no later `--as Ada` is (`same_person`), and a newline would split a document's line.
This is an entry rule: a name already in a record is read and shown as it is.
"""

from __future__ import annotations

from incident.core.text import first_control, visible

NOT_PEOPLE: frozenset[str] = frozenset(
    {"you", "me", "root", "admin", "administrator", "nobody", "unknown", "user"}
)
"""Words and accounts that name no one in particular (compared case-insensitively)."""


def not_a_person(name: str) -> str | None:
    """Why `name` cannot stand for a person in the record, or None if it can."""
    cleaned = " ".join(name.split())
    if not cleaned:
        return "a name is needed"
    if problem := control_in_name(name):
        return problem
    if problem := too_long(cleaned):
        return problem
    if cleaned.casefold() in NOT_PEOPLE:
        return f"'{cleaned}' names no one in particular: give a person's name"
    return None


def control_in_name(name: str) -> str | None:
    """Why `name` (a person's or a team's, as typed) cannot be entered: the first
    control character it holds and where, counted from 1 once the spaces around the
    name are dropped; None when it holds none."""
    typed = name.strip()
    at = first_control(typed)
    if at is None:
        return None
    return (
        f"the name holds a control character ({visible(typed[at])} at character {at + 1}): "
        "type it as plain text"
    )


def too_long(name: str) -> str | None:
    """Why `name` is too long to be recorded as a name, or None: said of the name, as
    typed where it was given (`--as`), not of the record's field it goes into ("the by")."""
    from incident.core.limits import NAME  # here: most names are short, and the CLI starts fast

    if len(name) <= NAME.max_chars:
        return None
    return (
        f"the name is {len(name):,} characters long; "
        f"the limit for a {NAME.kind} is {NAME.max_chars:,}"
    )


def is_person(name: str) -> bool:
    return not_a_person(name) is None


def same_person(one: str, other: str) -> bool:
    """Whether two names in the record name the same person: equal once spaces are
    collapsed and case is folded ("Bo  Diddley" is "bo diddley"). For the rules that
    need two people (who chose a tier never approves it), a near-miss in spelling must
    not pass for someone else."""
    return bool(one.strip()) and _key(one) == _key(other)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()
