"""Typed text that holds a secret the incident knows of is refused, never recorded.

A note, evidence, a reason, a message: what a person types goes into the
append-only record as typed, where nothing can be taken out again. Pasting a webhook
URL into a note ("posted to <url>") is an ordinary mistake under stress, so typed
text holding the value of a secret lastgood knows of (`command_output.named_secrets`:
the runbook's `${NAME}` values, the database URL's password, credential-looking
environment variables) is refused in one line naming which one, in every face, and
never silently changed: the dialog keeps it for editing, and a screen keeps on disk
only what passed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from incident.app.command_output import named_secrets
from incident.core.errors import CommandError
from incident.core.secrets import Secrets, redact
from runbooks.model import Runbook

TYPE_CHECKING = False
if TYPE_CHECKING:
    from incident.commands.lifecycle import Declaration


def refuse_typed_secrets(
    runbook: Runbook,
    values: Mapping[str, object],
    *,
    db: str | None = None,
    env: Mapping[str, str] | None = None,
) -> None:
    """CommandError naming the first of `values` (each typed text) that holds a secret's
    value, and whose."""
    texts = [(name, text) for name, value in values.items() for text in _texts(value)]
    if not texts:
        return
    for holder, found in named_secrets(runbook, os.environ if env is None else env, db):
        secrets = Secrets(values=found)
        for name, text in texts:
            if redact(text, secrets) != text:
                raise CommandError(
                    f"{name} holds the value of {holder}, a secret: not recorded "
                    "(the record keeps what is typed for good); take it out"
                )


def _texts(value: object) -> list[str]:
    """The text a value holds: itself, or each name of a list (`--attendees`)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


def declared_texts(details: Declaration) -> dict[str, object]:
    """What was typed into a declaration, by the `declare` parameter that reads it
    (`last_good`, as `--last-good` and the form's Last-good version name it)."""
    return {
        "title": details.title,
        "severity": details.severity,
        "commander": details.commander,
        "coordinator": details.coordinator,
        "issue": details.issue,
        "pattern": details.pattern,
        "channel": details.channel,
        "from_version": details.from_version,
        "last_good": details.last_good_version,
    }
