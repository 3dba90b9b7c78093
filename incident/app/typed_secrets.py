"""Typed text that holds a secret the incident knows of is refused, never recorded.

A note, evidence, a reason, a message: what a person types goes into the
append-only record as typed, where nothing can be taken out again. Pasting a webhook
URL into a note ("posted to <url>") is an ordinary mistake under stress, so typed
text holding the value of a secret lastgood knows of (`command_output.named_secrets`:
the values of the runbook's `${NAME}`s that hold a secret by where it uses them, in
any of its probes and targets, or by their name, `runbooks.secret_reads`; the database
URL's password; credential-looking environment variables but for a file's path) is
refused in one line naming which one, in every face, and never silently changed: the
dialog keeps it for editing, and a screen keeps on disk only what passed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any

from incident.app.command_output import named_secrets
from incident.app.params import Kind
from incident.app.verb import STEP, Verb
from incident.core.errors import CommandError
from incident.core.secrets import Secrets, redact
from runbooks.model import Runbook
from runbooks.secret_reads import credential_named, secret_reads

TYPE_CHECKING = False
if TYPE_CHECKING:
    from incident.commands.lifecycle import Declaration


TYPED_KINDS = frozenset({Kind.TEXT, Kind.LINE, Kind.LONG_TEXT, Kind.NAME, Kind.NAMES})
"""The parameters a person types freely, the only ones checked. A step's ID, a
template's, a tier's, a trigger's, a role's or a probe's name (`Kind.STEP`,
`Kind.CHOICE`) comes from the runbook, a number or a time is no place for a secret:
one of them spelling a secret's value (a step `restart-checkout`, with the runbook's
probe reading `${SERVICE}`) was refused, and could not be given any other way."""


def refuse_typed_secrets(
    runbook: Runbook,
    verb: Verb,
    values: Mapping[str, object],
    *,
    db: str | None = None,
    env: Mapping[str, str] | None = None,
) -> None:
    """CommandError naming the first of `values` (`verb`'s parameters, by name) that a
    person typed (`TYPED_KINDS`) and that holds a secret's value, and whose; its `about`
    is the parameter, which each face names its own way (`CommandError.said_as`)."""
    texts = [
        (name, text)
        for name, value in values.items()
        if typed(verb, name)
        for text in _texts(value)
    ]
    if not texts:
        return
    for holder, secrets in known_secrets(runbook, os.environ if env is None else env, db):
        for name, text in texts:
            if redact(text, secrets) != text:
                raise CommandError(
                    f"{name} holds the value of {holder}, a secret: not recorded "
                    "(the record keeps what is typed for good); take it out",
                    about=name,
                )


Known = tuple[tuple[str, Secrets], ...]
"""Each secret the incident knows of, with what holds it (`$OPS_TOKEN`)."""

_KNOWN: dict[tuple[int, str | None, tuple[tuple[str, str | None], ...]], tuple[Runbook, Known]] = {}
"""`known_secrets` by what they are made of: the runbook (its `id`, the runbook kept
beside the answer so that the `id` is not another's), `db`, and the value of every
variable they read."""
_READS: dict[int, tuple[Runbook, tuple[str, ...]]] = {}
"""The variables each runbook reads that hold a secret (`secret_reads`), by its `id`,
the runbook kept."""
_KEEPING = threading.Lock()
KNOWN_KEPT = 16
"""How many answers each cache keeps: one runbook and one environment in a process,
a few in the tests."""


def known_secrets(runbook: Runbook, env: Mapping[str, str], db: str | None) -> Known:
    """`command_output.named_secrets`, computed once per runbook, `db` and values of the
    variables it reads: the runbook's secret `${NAME}`s (`secret_reads`), every
    credential-named variable
    (`credential_named`) and `$LASTGOOD_DB`. Each check asked for them anew (0.07 to
    0.58 ms); a variable set, changed or unset since is a new key, never missed."""
    reads = _READS.get(id(runbook))
    if reads is None or reads[0] is not runbook:
        reads = (runbook, tuple(secret_reads(runbook)))
        _keep(_READS, id(runbook), reads)
    names = [*reads[1], *(name for name in env if credential_named(name)), "LASTGOOD_DB"]
    key = (id(runbook), db, tuple((name, env.get(name)) for name in names))
    cached = _KNOWN.get(key)
    if cached is not None and cached[0] is runbook:
        return cached[1]
    known = tuple(
        (holder, Secrets(values=found)) for holder, found in named_secrets(runbook, env, db)
    )
    _keep(_KNOWN, key, (runbook, known))
    return known


def _keep(cache: dict[Any, Any], key: object, value: object) -> None:
    """`value` in `cache`, the oldest answer given up past `KNOWN_KEPT` (the recorder's
    thread and the UI's both check)."""
    with _KEEPING:
        cache[key] = value
        while len(cache) > KNOWN_KEPT:
            cache.pop(next(iter(cache)), None)


def typed(verb: Verb, name: str) -> bool:
    """Whether `verb`'s parameter `name` holds free text a person typed. A value no
    parameter names is taken to be such text, but for `step`, the step's ID, which a
    database tier chosen on its step carries beside `db-tier`'s own parameters."""
    kinds = {param.name: param.kind for param in verb.params}
    kinds.setdefault(STEP.name, STEP.kind)
    return kinds.get(name, Kind.TEXT) in TYPED_KINDS


def _texts(value: object) -> list[str]:
    """The text a value holds: itself, or each name of a list (`--attendees`)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


def declared_texts(details: Declaration) -> dict[str, object]:
    """What was typed into a declaration, by the `declare` parameter that reads it
    (`last_good`, as `--last-good` and the form's Last-good version name it); not the
    pattern, one of the runbook's names."""
    return {
        "title": details.title,
        "severity": details.severity,
        "commander": details.commander,
        "coordinator": details.coordinator,
        "issue": details.issue,
        "channel": details.channel,
        "from_version": details.from_version,
        "last_good": details.last_good_version,
    }
