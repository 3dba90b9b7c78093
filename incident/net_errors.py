"""Reading network failures: walk an exception's causes, name a URL's host.

Shared by probes and webhook delivery so both classify failures the same way and
never quote a URL (which may hold a secret) in what they record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from runbooks.checks import ENV_REFERENCE


def exception_chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc`, its causes and contexts, and the members of any exception group, once each."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        link = pending.pop(0)
        if id(link) in seen:
            continue
        seen.add(id(link))
        yield link
        if isinstance(link, BaseExceptionGroup):
            pending.extend(link.exceptions)
        for nxt in (link.__cause__, link.__context__):
            if nxt is not None:
                pending.append(nxt)


def host_of(url: str) -> str:
    """The host of `url` alone, or "?" when it cannot be read."""
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).hostname or "?"
    except ValueError:
        return "?"


DETAIL_MAX_CHARS = 160
"""Longest failure line a probe sample or a delivery outcome records."""


def first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0].strip() if lines else ""


def one_line(text: str) -> str:
    """Whitespace folded and cut to `DETAIL_MAX_CHARS`: fit for a panel and the record."""
    flat = " ".join(text.split())
    if len(flat) > DETAIL_MAX_CHARS:
        flat = flat[: DETAIL_MAX_CHARS - 1].rstrip() + "…"
    return flat


def redact(text: str, secrets: Sequence[str]) -> str:
    """`text` with every secret (and its escaped spellings) replaced by `***`."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        for spelling in {secret, repr(secret)[1:-1], repr(secret.encode())[2:-1]}:
            if spelling:
                text = text.replace(spelling, "***")
    return text


class MissingEnvironment(ValueError):
    """A `${NAME}` whose variable is not set; the message names it, never a value."""


def expand_env(template: str, env: Mapping[str, str]) -> str:
    """`template` with each `${NAME}` replaced from `env`, at the moment of sending only."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise MissingEnvironment(f"environment variable {name} is not set")
        return env[name]

    return ENV_REFERENCE.sub(substitute, template)
