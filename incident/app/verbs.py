"""Every verb of lastgood, once: its name, parameters, help, key and confirmation.

The command line's parser, the TUI's bindings, footer, help screen and command
palette, and the README's verb tables are all built from `VERBS`, and each verb that
records something names the one use case every face calls. A verb whose work is a
face's own (opening a screen, serving browsers, polling the network) has `run=None`
and a handler in that face.
"""

from __future__ import annotations

from incident.app.verb import Scope, Verb
from incident.app.verbs_database import DATABASE_VERBS
from incident.app.verbs_postmortem import POSTMORTEM_VERBS
from incident.app.verbs_reading import READING_VERBS
from incident.app.verbs_recording import RECORDING_VERBS

TYPE_CHECKING = False  # `typing` waits until the arguments are parsed (see `incident.app.params`)

if TYPE_CHECKING:
    from typing import Any

    from incident.app.outcome import Done
    from incident.core.state import IncidentState

VERBS: tuple[Verb, ...] = (*RECORDING_VERBS, *POSTMORTEM_VERBS, *READING_VERBS, *DATABASE_VERBS)
"""Every verb, in the order help lists them."""

BY_NAME: dict[str, Verb] = {verb.name: verb for verb in VERBS}

__all__ = ["BY_NAME", "VERBS", "Scope", "Verb", "accepts", "run"]


def accepts(state: IncidentState, verb: Verb) -> bool:
    """Whether the incident takes `verb` at all: once it is closed, none of those that
    change the rollback's course (`Verb.open_only`, refused by the commands). A face
    offers only what this accepts (the TUI's keys, footer and palette)."""
    return not (verb.open_only and state.is_closed)


def run(
    verb: Verb, session: Any, actor: str, values: dict[str, object], *, db: str | None = None
) -> Done:
    """Call `verb`'s use case with the parameter values a face gathered; typed text
    holding a secret the incident knows of is refused first (`incident.app.typed_secrets`:
    `db` is the record's location as the face was given it, for its password)."""
    if verb.run is None:
        raise ValueError(f"{verb.name} has no use case: a face runs it")
    from incident.app.typed_secrets import refuse_typed_secrets

    refuse_typed_secrets(session.state.runbook, verb, values, db=db)
    return verb.run(session, actor, **values)
