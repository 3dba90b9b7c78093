"""What a use case hands back to the face that called it."""

from __future__ import annotations

from msgspec import Struct, field

from incident.core.events import Event

SYSTEM_ACTOR = "lastgood"
"""Who records what happens without a key: auto-sends, missed updates, deliveries."""

PROBE_ACTOR = "probes"
"""Who records probe samples and the trigger changes they cause, in every face."""


class Done(Struct, frozen=True):
    """The events a use case recorded, and one line saying so in the domain's words.

    Each face shows `said` its own way: the CLI prints it after the T+ offset, the
    TUI raises it as a toast. `notes` are further lines worth showing (a step the
    message completed, a command's exit code).
    """

    events: list[Event]
    said: str
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """What the coordinator should know was recorded against the record's own word (a
    resolution sent while a rollback trigger is met): the CLI prints each on stderr,
    the TUI raises the toast as a warning."""
