"""What a command step's shell is given, and what of its output is shown and kept.

A rollback command runs on the coordinator's machine, in lastgood's environment,
and what it prints goes into the append-only record, where nothing can be taken
out again. So, the same way in every face:

- its environment lacks lastgood's own secrets (`HIDDEN_VARIABLES`: `$LASTGOOD_DB`
  holds the database's URL, password and all);
- its output, before it is printed or recorded, is redacted of every secret the
  incident knows of: the values the runbook's webhook targets and probes read from
  the environment (`${NAME}`), the values of environment variables named like a
  credential (`*TOKEN*`, `*SECRET*`, `*PASSWORD*`, `*PASSWD*`, `*API_KEY*`,
  `*PRIVATE_KEY*`, 8 characters or more), and the database URL's password, whole or
  any 8 characters of it, in any spelling `incident.core.secrets.redact` finds. A
  credential in a variable named otherwise (`DEPLOY_CREDS`) is not known, and not
  hidden.

Variables the runbook reads for webhooks and probes stay in the command's
environment (a deploy script may need the same token); it is their values in the
output that are hidden.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from incident.core.secrets import MIN_SECRET_CHARS, Secrets
from runbooks.checks import ENV_REFERENCE
from runbooks.model import Runbook

CREDENTIAL_NAME_PARTS = ("TOKEN", "SECRET", "PASSWORD", "PASSWD", "API_KEY", "PRIVATE_KEY")
"""An environment variable whose name holds one of these (upper-cased) holds a
credential, as `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `GITHUB_TOKEN` do."""
CREDENTIAL_MIN_CHARS = 8
"""A credential-named variable's value shorter than this is not redacted (`PASSWORD=x`
in a test environment would mangle every line holding an x)."""

HIDDEN_VARIABLES = ("LASTGOOD_DB",)
"""lastgood's variables that hold a secret, which a command step's shell is not given."""


def command_environment(env: Mapping[str, str]) -> dict[str, str]:
    """`env` without lastgood's secrets: the environment a command step runs in."""
    return {name: value for name, value in env.items() if name not in HIDDEN_VARIABLES}


def output_secrets(runbook: Runbook, env: Mapping[str, str], db: str | None = None) -> Secrets:
    """What must not reach a command's shown or recorded output: the `${NAME}` values
    of the runbook's webhook targets and probes, and the password of `db` and of
    `$LASTGOOD_DB` (each a database's URL or a file's path)."""
    values = [v for _name, found in named_secrets(runbook, env, db) for v in found]
    return Secrets(values=tuple(dict.fromkeys(values)))


def named_secrets(
    runbook: Runbook, env: Mapping[str, str], db: str | None = None
) -> list[tuple[str, tuple[str, ...]]]:
    """`output_secrets`, each with what holds it: `$HOOK_SECRET`, `the --db URL's
    password`; values too short to be worth hiding left out. Besides the runbook's
    `${NAME}`s, every environment variable named like a credential
    (`CREDENTIAL_NAME_PARTS`, at least `CREDENTIAL_MIN_CHARS` long)."""
    named: dict[str, list[str]] = {}
    for name in runbook_reads(runbook):
        if name in env:
            named.setdefault(f"${name}", []).append(env[name])
    for name in sorted(name for name in env if credential_named(name)):
        if len(env[name]) >= CREDENTIAL_MIN_CHARS:
            named.setdefault(f"${name}", []).append(env[name])
    for holder, location in (("the --db URL", db), ("$LASTGOOD_DB", env.get("LASTGOOD_DB"))):
        named.setdefault(f"{holder}'s password", []).extend(_passwords(location or ""))
    kept = [(name, _worth_hiding(values)) for name, values in named.items()]
    return [(name, values) for name, values in kept if values]


def runbook_reads(runbook: Runbook) -> list[str]:
    """The environment variables the runbook's webhook targets and probes read
    (`${NAME}` in a URL or a header's value), in the order written, repeats and all."""
    requests = [(t.url, t.headers) for t in runbook.notify_targets]
    requests += [(p.url, p.headers) for p in runbook.probes]
    templates = [text for url, headers in requests for text in (url, *(v for _n, v in headers))]
    return [match.group(1) for t in templates for match in ENV_REFERENCE.finditer(t)]


@functools.lru_cache(maxsize=1024)
def credential_named(name: str) -> bool:
    """Whether an environment variable's name says it holds a credential
    (`CREDENTIAL_NAME_PARTS`); asked of every variable on each check, answered once."""
    upper = name.upper()
    return any(part in upper for part in CREDENTIAL_NAME_PARTS)


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
