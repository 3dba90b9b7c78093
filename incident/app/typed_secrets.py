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


def refuse_typed_secrets(
    runbook: Runbook,
    values: Mapping[str, object],
    *,
    db: str | None = None,
    env: Mapping[str, str] | None = None,
) -> None:
    """CommandError naming the first of `values` (each typed text) that holds a secret's
    value, and whose."""
    texts = [(name, value) for name, value in values.items() if isinstance(value, str)]
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
