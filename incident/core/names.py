"""Names of people: what may stand for a person in the record, and what may not.

The record, the messages and the report name who did what. A word that names nobody
("you", a placeholder) or a machine account ("root", the login on a bastion) would
sign a root cause "root:" and tell stakeholders "Incident commander: you", so it is
refused wherever a person is named, and the faces ask for a real name instead of
falling back to it.
"""

from __future__ import annotations

NOT_PEOPLE: frozenset[str] = frozenset(
    {"you", "me", "root", "admin", "administrator", "nobody", "unknown", "user"}
)
"""Words and accounts that name no one in particular (compared case-insensitively)."""


def not_a_person(name: str) -> str | None:
    """Why `name` cannot stand for a person in the record, or None if it can."""
    cleaned = " ".join(name.split())
    if not cleaned:
        return "a name is needed"
    if cleaned.casefold() in NOT_PEOPLE:
        return f"'{cleaned}' names no one in particular: give a person's name"
    return None


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
