"""What a command step's shell is given, and what of its output is shown and kept.

A rollback command runs on the coordinator's machine, in lastgood's environment,
and what it prints goes into the append-only record, where nothing can be taken
out again. So, the same way in every face:

- its environment lacks lastgood's own secrets (`HIDDEN_VARIABLES`: `$LASTGOOD_DB`
  holds the database's URL, password and all);
- its output, before it is printed or recorded, is redacted of every secret the
  incident knows of: the values the runbook's webhook targets and probes read from
  the environment (`${NAME}`) where they hold a secret (`runbooks.secret_reads`: in a
  header, a URL's user-info, query or fragment, or named like a credential; of a
  variable that is a whole URL, only its user-info, query, fragment and token-like
  webhook path segments; of one in a webhook's path, its token-like segments; not a
  probe's host, port or path: a service's name stays),
  the values of environment variables named like a credential
  (`runbooks.secret_reads.credential_named`, 8 characters or more) but for a path of
  a file that exists (`names_a_file`: `GOOGLE_APPLICATION_CREDENTIALS` names the file
  holding the key; its path is no secret), and the database
  URL's password, whole or any 8 characters of it, in any spelling
  `incident.core.secrets.redact` finds. A credential in a variable named otherwise
  (`DEPLOY_PASS`) is not known, and not hidden.

Variables the runbook reads for webhooks and probes stay in the command's
environment (a deploy script may need the same token); it is their values in the
output that are hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from incident.core.secrets import MIN_SECRET_CHARS, Secrets
from runbooks.model import Runbook
from runbooks.secret_reads import (
    credential_named,
    names_a_file,
    read_places,
    secret_values,
    webhook_reads,
)

CREDENTIAL_MIN_CHARS = 8
"""A credential-named variable's value shorter than this is not redacted (`PASSWORD=x`
in a test environment would mangle every line holding an x)."""

HIDDEN_VARIABLES = ("LASTGOOD_DB",)
"""lastgood's variables that hold a secret, which a command step's shell is not given."""


def command_environment(env: Mapping[str, str]) -> dict[str, str]:
    """`env` without lastgood's secrets: the environment a command step runs in."""
    return {name: value for name, value in env.items() if name not in HIDDEN_VARIABLES}


def output_secrets(runbook: Runbook, env: Mapping[str, str], db: str | None = None) -> Secrets:
    """What must not reach a command's shown or recorded output: the values of the
    `${NAME}`s of the runbook's webhook targets and probes that hold a secret, and the
    password of `db` and of `$LASTGOOD_DB` (each a database's URL or a file's path)."""
    values = [v for _name, found in named_secrets(runbook, env, db) for v in found]
    return Secrets(values=tuple(dict.fromkeys(values)))


def named_secrets(
    runbook: Runbook, env: Mapping[str, str], db: str | None = None
) -> list[tuple[str, tuple[str, ...]]]:
    """`output_secrets`, each with what holds it: `$HOOK_SECRET`, `the --db URL's
    password`; values too short to be worth hiding left out. Besides the runbook's
    secret `${NAME}`s (`secret_reads`), every environment variable named like a credential
    (`CREDENTIAL_NAME_PARTS`, at least `CREDENTIAL_MIN_CHARS` long) that holds no file's
    path (`names_a_file`)."""
    named: dict[str, list[str]] = {}
    webhooks = webhook_reads(runbook)
    for name, places in read_places(runbook).items():
        if name in env:
            found = secret_values(name, places, env[name], webhook=name in webhooks)
            named.setdefault(f"${name}", []).extend(found)
    for name in sorted(name for name in env if credential_named(name)):
        if len(env[name]) >= CREDENTIAL_MIN_CHARS and not names_a_file(env[name]):
            named.setdefault(f"${name}", []).append(env[name])
    for holder, location in (("the --db URL", db), ("$LASTGOOD_DB", env.get("LASTGOOD_DB"))):
        named.setdefault(f"{holder}'s password", []).extend(_passwords(location or ""))
    kept = [(name, _worth_hiding(values)) for name, values in named.items()]
    return [(name, values) for name, values in kept if values]


def _worth_hiding(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if len(v) >= MIN_SECRET_CHARS))


def _passwords(location: str) -> Iterable[str]:
    """The password a `postgresql://` URL holds, as written and decoded, in its user
    part or as a `password=` parameter; nothing for a file's path."""
    if "://" not in location:
        return []
    from urllib.parse import parse_qsl, unquote, urlsplit

    try:
        parts = urlsplit(location)
        written = parts.password
    except ValueError:
        return []
    found = [] if written is None else [written, unquote(written)]
    found += [value for key, value in parse_qsl(parts.query) if key == "password"]
    return found
