"""Reading network failures safely: expand a request, name a host, redact secrets.

Shared by probes and webhook delivery so both expand `${NAME}` the same way,
classify failures the same way, and turn every line they record through one
function, `safe_line`, which redacts before it cuts.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

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


def first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0].strip() if lines else ""


# --- secrets ------------------------------------------------------------------------

DETAIL_MAX_CHARS = 160
"""Longest failure line a probe sample or a delivery outcome records."""
MIN_SECRET_CHARS = 4
"""Shorter values are not secrets worth redacting (and would mangle every message)."""
PIECE_CHARS = 8
"""Any run this long of an environment value is redacted, even without the rest:
the start of a token that something upstream cut off is still part of the token."""

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")


@dataclass(frozen=True, slots=True)
class Secrets:
    """What must never reach a recorded or shown line, for one probe or webhook."""

    values: tuple[str, ...] = ()
    """Values read from the environment: found in any spelling, and by any piece of
    `PIECE_CHARS` characters."""
    literals: tuple[str, ...] = ()
    """The URL and header values as the runbook writes them: found whole."""


def secrets_for(url: str, headers: Iterable[tuple[str, str]], env: Mapping[str, str]) -> Secrets:
    """The secrets of a request whose URL and header values are `${NAME}` templates."""
    templates = [url, *(value for _name, value in headers)]
    values = [env[name] for t in templates for name in ENV_REFERENCE.findall(t) if name in env]
    return Secrets(_worth_hiding(values), _worth_hiding(templates))


def _worth_hiding(found: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for s in found if len(s) >= MIN_SECRET_CHARS))


def safe_line(text: str, secrets: Secrets, limit: int = DETAIL_MAX_CHARS) -> str:
    """`text` as one line fit for the record and a panel: folded, redacted, then cut.

    The only way lines from the network reach the record. The order is the point:
    folding first means no line break can split a secret out of sight, and cutting
    last means the cut can never leave the start of a secret behind.
    """
    line = redact(" ".join(text.split()), secrets)
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line


def redact(text: str, secrets: Secrets) -> str:
    """`text` with every run of characters that spells a secret replaced by `***`.

    Two readings of `text` are searched: as written, for escaped spellings (JSON,
    Python repr), and as the bytes it stands for, with `%XX` escapes decoded (URLs
    come back percent-encoded). Both ignore ASCII case: hosts come back lower-cased.
    """
    if not text or not (secrets.values or secrets.literals):
        return text
    hidden = [False] * len(text)
    written, as_bytes = _pieces(secrets)
    for (view, starts, ends), pieces in ((_written(text), written), (_bytes(text), as_bytes)):
        for size, wanted in pieces.items():
            for i in range(len(view) - size + 1):
                if view[i : i + size] in wanted:
                    for j in range(starts[i], ends[i + size - 1]):
                        hidden[j] = True
    out: list[str] = []
    for i, ch in enumerate(text):
        if not hidden[i]:
            out.append(ch)
        elif i == 0 or not hidden[i - 1]:
            out.append("***")
    return "".join(out)


_Pieces = dict[int, set[str]]
"""Lower-cased strings to look for, by length."""


def _pieces(secrets: Secrets) -> tuple[_Pieces, _Pieces]:
    """What to look for in the text as written, and in the bytes it stands for."""
    written: _Pieces = {}
    as_bytes: _Pieces = {}
    for secret, whole in [(v, False) for v in secrets.values] + [
        (lit, True) for lit in secrets.literals
    ]:
        for pieces, spellings in ((written, _escaped(secret)), (as_bytes, _as_bytes(secret))):
            for spelling in spellings:
                size = len(spelling) if whole else min(PIECE_CHARS, len(spelling))
                found = pieces.setdefault(size, set())
                found.update(spelling[i : i + size] for i in range(len(spelling) - size + 1))
    return written, as_bytes


def _escaped(secret: str) -> set[str]:
    """`secret` as JSON and Python escape it."""
    forms = {repr(secret)[1:-1], repr(secret.encode("utf-8", "surrogatepass"))[2:-1]}
    for json_form in (json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]):
        forms.update((json_form, json_form.replace("/", "\\/")))
    return {form.translate(_ASCII_LOWER) for form in forms if form}


def _as_bytes(secret: str) -> set[str]:
    """`secret`'s UTF-8 bytes (one character each), also folded, and with space and
    `+` swapped as form encoding does (and servers undo)."""
    forms = {secret, " ".join(secret.split()), secret.replace(" ", "+"), secret.replace("+", " ")}
    encoded = (form.encode("utf-8", "surrogatepass").decode("latin-1") for form in forms)
    return {form.translate(_ASCII_LOWER) for form in encoded if form}


def _written(text: str) -> tuple[str, range, range]:
    return text.translate(_ASCII_LOWER), range(len(text)), range(1, len(text) + 1)


def _bytes(text: str) -> tuple[str, list[int], list[int]]:
    """The bytes `text` stands for, `%XX` decoded, one character each, and where in
    `text` each came from."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        match = _PERCENT.match(text, i)
        end = match.end() if match else i + 1
        raw = bytes.fromhex(match.group(1)) if match else text[i].encode("utf-8", "surrogatepass")
        for byte in raw:
            chars.append(chr(byte))
            starts.append(i)
            ends.append(end)
        i = end
    return "".join(chars).translate(_ASCII_LOWER), starts, ends


# --- expanding a request ------------------------------------------------------------


class RequestSetupError(ValueError):
    """A request cannot be sent as configured; the message names no value."""


class MissingEnvironment(RequestSetupError):
    """A `${NAME}` whose variable is not set; the message names it, never a value."""


def expand_env(template: str, env: Mapping[str, str]) -> str:
    """`template` with each `${NAME}` replaced from `env`, at the moment of sending only."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise MissingEnvironment(f"environment variable {name} is not set")
        return env[name]

    return ENV_REFERENCE.sub(substitute, template)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A request's URL and headers with `${NAME}` expanded: for the wire only."""

    url: str
    headers: list[tuple[str, str]]


def expand_request(
    url: str, headers: Sequence[tuple[str, str]], env: Mapping[str, str]
) -> Outgoing:
    """The request to send; `RequestSetupError` if a variable is unset or unusable."""
    expanded: list[tuple[str, str]] = []
    for name, template in headers:
        value = expand_env(template, env)
        if any((ord(ch) < 32 and ch != "\t") or ord(ch) == 127 for ch in value):
            raise RequestSetupError(f"header {name!r} has a control character after expansion")
        expanded.append((name, value))
    return Outgoing(expand_env(url, env), expanded)
