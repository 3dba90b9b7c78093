"""How much text each field of the record takes, and what it refuses.

A 10 MB note once made a 25 MB report: text that people type is bounded, per
kind, so that a paste gone wrong gets a clear refusal instead of a record (and
every export after it) that nobody can open. NUL is refused everywhere it is
typed: it ends strings in C tools and SQLite's own shell, so a note holding one
would read differently in different tools. The table is documented in
docs/RELIABILITY.md, and a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from msgspec import Struct

from incident.core.events import JSONValue


class TextLimit(Struct, frozen=True):
    """The longest text of one kind, in characters, and what the kind is called."""

    kind: str
    max_chars: int


NAME: Final = TextLimit("name", 200)
"""A person, a team, a role, an approver, a step or template id."""
TITLE: Final = TextLimit("title", 200)
"""The incident's title."""
LINE: Final = TextLimit("line", 2_000)
"""A reason, a step's note, evidence, the issue, a channel, a version."""
TEXT: Final = TextLimit("text", 20_000)
"""A note, a message, a root cause, a lesson, an action item."""

FIELD_LIMITS: Final[Mapping[str, TextLimit]] = {
    "title": TITLE,
    **dict.fromkeys(
        (
            "commander",
            "coordinator",
            "by",
            "person",
            "role",
            "to",
            "from",
            "target",
            "owner",
            "attendees",
            "step",
            "tier",
            "template",
            "trigger",
            "probe",
            "severity",
            "category",
            "drill",
        ),
        NAME,
    ),
    **dict.fromkeys(
        (
            "issue",
            "channel",
            "from_version",
            "last_good_version",
            "reason",
            "note",
            "evidence",
            "override",
            "detail",
        ),
        LINE,
    ),
    "text": TEXT,
}
"""Payload fields people write, by name; the stored field names never change."""

MACHINE_FIELDS: Final = frozenset({"output_tail", "command", "runbook_source", "error"})
"""Fields lastgood fills itself (a command's output, the runbook's path); bounded where made."""

DEFAULT: Final = LINE
"""Any other text field."""


class TextRefused(ValueError):
    """A field's text cannot be recorded; the message names the field and the rule."""


def check_payload_text(payload: Mapping[str, JSONValue]) -> None:
    """Refuse NUL, and text longer than its kind's limit, in the payload's own fields.

    Only top-level strings (and lists of strings) are people's text; nested
    structures are made by lastgood (the runbook snapshot, probe samples).
    """
    for field, value in payload.items():
        if field in MACHINE_FIELDS:
            continue
        values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        for item in values:
            if isinstance(item, str):
                check_text(field, item)


def check_text(field: str, text: str) -> None:
    """Raise TextRefused when `text` cannot be recorded as `field`."""
    limit = FIELD_LIMITS.get(field, DEFAULT)
    noun = "name" if field == "by" else field.replace("_", " ")  # not "the by is … long"
    if "\x00" in text:
        raise TextRefused(f"the {noun} contains a NUL character, which cannot be recorded")
    if len(text) > limit.max_chars:
        raise TextRefused(
            f"the {noun} is {len(text):,} characters long; "
            f"the limit for a {limit.kind} is {limit.max_chars:,}"
        )
