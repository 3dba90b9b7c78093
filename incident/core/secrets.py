"""Reading network failures safely: expand a request, name a host, redact secrets.

Shared by probes and webhook delivery so both expand `${NAME}` the same way,
classify failures the same way, and turn every line they record through one
function, `safe_line`, which redacts before it cuts.
"""

from __future__ import annotations

import functools
import json
import re
import string
from collections.abc import Iterable, Iterator, Mapping, Sequence

from msgspec import Struct

from incident.core.clipping import cut_at
from incident.core.text import storable, visible
from runbooks.checks import ENV_REFERENCE
from runbooks.model import VariableUse
from runbooks.secret_reads import HEADER, secret_values, url_places, url_secret_parts


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


class Secrets(Struct, frozen=True):
    """What must never reach a recorded or shown line, for one probe or webhook."""

    values: tuple[str, ...] = ()
    """Values read from the environment: found in any spelling, and by any piece of
    `PIECE_CHARS` characters."""
    literals: tuple[str, ...] = ()
    """The URL and header values as the runbook writes them: found whole."""


def secrets_for(
    url: str,
    headers: Iterable[tuple[str, str]],
    env: Mapping[str, str],
    *,
    webhook: bool,
    uses: Iterable[VariableUse] = (),
) -> Secrets:
    """The secrets of one probe's or (`webhook`) webhook target's request, whose URL and
    header values are `${NAME}` templates, by the rule typed-secret refusal and command
    output read (`runbooks.secret_reads`): the value of a `${NAME}` used in a header, a
    URL's user-info, query or fragment, or named like a credential (but a file's path);
    of a whole-URL variable its credential parts, of one in a webhook's path its
    token-like segments; not a probe's host, port or path, so a line about
    `http://${SERVICE}.internal/health` keeps the service's name. Of the templates as
    written, the header values whole and the URL's credential parts.

    `uses`, where the request's runbook uses each of its variables (the probe's or
    target's own, `runbooks.secret_reads.with_variable_uses`), makes the answer the
    runbook's: a variable that is this probe's host and another's header is hidden
    here too, as is every other secret the runbook reads. Without them (a probe made
    alone) the request's own places decide."""
    headers = list(headers)
    places: dict[str, tuple[list[str], bool]] = {}
    found = list(url_places(url, webhook=webhook))
    found += [(m.group(1), HEADER) for _n, v in headers for m in ENV_REFERENCE.finditer(v)]
    for name, place in found:
        places.setdefault(name, ([], webhook))[0].append(place)
    for use in uses:  # the runbook's answer, over this request's own
        places[use.name] = (list(use.places), use.webhook)
    values = [
        part
        for name, (where, in_webhook) in places.items()
        if name in env
        for part in secret_values(name, where, env[name], webhook=in_webhook)
    ]
    literals = [*url_secret_parts(url, webhook=webhook), *(value for _name, value in headers)]
    return Secrets(_worth_hiding(values), _worth_hiding(literals))


def _worth_hiding(found: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for s in found if len(s) >= MIN_SECRET_CHARS))


def safe_line(
    text: str, secrets: Secrets, limit: int = DETAIL_MAX_CHARS, *, show_controls: bool = False
) -> str:
    """`text` as one line fit for the record and a panel: folded, redacted, then cut.

    The only way lines from the network reach the record. The order is the point:
    folding first means no line break can split a secret out of sight, and cutting
    last means the cut can never leave the start of a secret behind. Only as much of
    `text` is read as the line needs (a body can be a megabyte on one line): a prefix
    four times the limit, longer while redaction leaves the line short. A lone
    surrogate (a JSON `"\\ud800"`) is written as its code (`storable`): the record
    holds UTF-8, and refused the whole tick a sample holding one was in.

    `show_controls` shows the control characters left (`visible`: NUL as ␀) before
    the cut, for a line stored as text rather than inside JSON: PostgreSQL refuses a
    NUL in a text column, and a webhook error it could not store left its message
    pending, never counted, sent again and again. A probe's sample keeps the exact
    text: its JSON escapes what needs escaping, and each face shows it.
    """
    size = 4 * limit
    while True:
        complete = size >= len(text)
        flat = storable(" ".join(text[:size].split()))
        exact = len(flat) if complete else len(flat) - _search(secrets).reach
        line = _redacted(flat, secrets, exact)
        if complete or len(line) > limit:
            break
        size *= 4
    if show_controls:
        line = visible(line)
    if len(line) > limit:
        end = cut_at(line, limit - 1)  # no `\x9…` nor `\ud8…` left
        line = line[:end].rstrip() + "…"
    return line


def redact(text: str, secrets: Secrets) -> str:
    """`text` with every run of characters that spells a secret replaced by `***`.

    Two readings of `text` are searched: as written, for escaped spellings (JSON,
    Python repr), and as the bytes it stands for, with `%XX` escapes decoded (URLs
    come back percent-encoded). Both ignore ASCII case: hosts come back lower-cased.
    """
    return _redacted(text, secrets, len(text))


def _redacted(text: str, secrets: Secrets, exact: int) -> str:
    """The redaction of `text[:exact]`, where `text` may be cut from something longer:
    no match can reach back from past the cut further than `reach` characters."""
    if exact <= 0:
        return ""
    if not (secrets.values or secrets.literals):
        return text[:exact]
    hidden = bytearray(len(text))
    search = _search(secrets)
    written, as_bytes = _written(text), _bytes(text)
    if written[0] == as_bytes[0]:  # plain ASCII: the bytes are the text
        readings = [(written, search.either)]
    else:
        readings = [(written, search.written), (as_bytes, search.as_bytes)]
    for (view, starts, ends), forms in readings:
        spans = [(at, at + len(whole)) for whole in forms.whole for at in _occurrences(view, whole)]
        if forms.pieces:
            spans += [
                (at, at + PIECE_CHARS)
                for at in range(len(view) - PIECE_CHARS + 1)
                if view[at : at + PIECE_CHARS] in forms.pieces
            ]
        for first, stop in spans:
            start, end = starts[first], ends[stop - 1]
            hidden[start:end] = b"\1" * (end - start)
    out: list[str] = []
    kept = 0
    for run in _HIDDEN_RUN.finditer(hidden, 0, exact):
        out += (text[kept : run.start()], "***")
        kept = run.end()
    out.append(text[kept:exact])
    return "".join(out)


_HIDDEN_RUN = re.compile(b"\1+")


def _occurrences(text: str, sought: str) -> Iterator[int]:
    at = text.find(sought)
    while at >= 0:
        yield at
        at = text.find(sought, at + 1)


class _Forms(Struct, frozen=True):
    """Lower-cased strings to look for in one reading of a text."""

    whole: frozenset[str]
    pieces: frozenset[str]
    """Runs of exactly `PIECE_CHARS` characters."""


class _Search(Struct, frozen=True):
    written: _Forms
    as_bytes: _Forms
    either: _Forms
    """Both, for text whose bytes are its characters."""
    reach: int
    """The most characters of text one match can span (`%XX` is three per byte)."""


@functools.lru_cache(maxsize=256)
def _search(secrets: Secrets) -> _Search:
    """What to look for in the text as written, and in the bytes it stands for."""
    found: list[tuple[set[str], set[str]]] = [(set(), set()), (set(), set())]
    for secret, by_piece in [(v, True) for v in secrets.values] + [
        (literal, False) for literal in secrets.literals
    ]:
        spellings_by_reading = (_escaped(secret), _as_bytes(secret))
        for (whole, pieces), spellings in zip(found, spellings_by_reading, strict=True):
            for spelling in spellings:
                if by_piece and len(spelling) >= PIECE_CHARS:
                    pieces.update(
                        spelling[i : i + PIECE_CHARS]
                        for i in range(len(spelling) - PIECE_CHARS + 1)
                    )
                else:
                    whole.add(spelling)
    (written_whole, written_pieces), (bytes_whole, bytes_pieces) = found
    longest = max((len(w) for w in written_whole | bytes_whole), default=0)
    return _Search(
        written=_Forms(frozenset(written_whole), frozenset(written_pieces)),
        as_bytes=_Forms(frozenset(bytes_whole), frozenset(bytes_pieces)),
        either=_Forms(
            frozenset(written_whole | bytes_whole), frozenset(written_pieces | bytes_pieces)
        ),
        reach=3 * max(longest, PIECE_CHARS),
    )


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


def _written(text: str) -> tuple[str, Sequence[int], Sequence[int]]:
    return text.translate(_ASCII_LOWER), range(len(text)), range(1, len(text) + 1)


def _bytes(text: str) -> tuple[str, Sequence[int], Sequence[int]]:
    """The bytes `text` stands for, `%XX` decoded, one character each, and where in
    `text` each came from."""
    if text.isascii() and "%" not in text:
        return _written(text)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for segment in _SEGMENT.finditer(text):
        first, last = segment.span()
        if segment.group(1) is not None:
            chars.append(chr(int(segment.group(1), 16)))
            starts.append(first)
            ends.append(last)
        elif segment.group().isascii():
            chars.append(segment.group())
            starts.extend(range(first, last))
            ends.extend(range(first + 1, last + 1))
        else:
            for at in range(first, last):
                for byte in text[at].encode("utf-8", "surrogatepass"):
                    chars.append(chr(byte))
                    starts.append(at)
                    ends.append(at + 1)
    return "".join(chars).translate(_ASCII_LOWER), starts, ends


_SEGMENT = re.compile(r"%([0-9A-Fa-f]{2})|[^%]+|%")


# --- expanding a request ------------------------------------------------------------


class RequestSetupError(ValueError):
    """A request cannot be sent as configured; the message names no value."""


class MissingEnvironment(RequestSetupError):
    """A `${NAME}` whose variable is not set; the message names it, never a value."""


def expand_env(template: str, env: Mapping[str, str]) -> str:
    """`template` with each `${NAME}` replaced from `env`, at the moment of sending only;
    `${NAME:-default}` is the default when NAME is unset or empty, as in the shell."""

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if default is not None and not env.get(name):
            return default
        if name not in env:
            raise MissingEnvironment(f"environment variable {name} is not set")
        return env[name]

    return ENV_REFERENCE.sub(substitute, template)


class Outgoing(Struct, frozen=True):
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
        if not value.isascii():  # HTTP sends header values as ASCII; httpx raises
            raise RequestSetupError(f"header {name!r} is not ASCII after expansion")
        expanded.append((name, value))
    target = expand_env(url, env)
    from urllib.parse import urlsplit

    try:
        urlsplit(target).port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:  # not quoted: the value may be a secret's
        raise RequestSetupError(
            "the URL's port is not a number from 0 to 65535 after expansion"
        ) from None
    return Outgoing(target, expanded)
