"""Small checks shared by the loaders: ids, templates, URLs, header values."""

from __future__ import annotations

import re
import string
from collections.abc import Collection, Container, Iterable
from functools import cache
from itertools import islice
from urllib.parse import urlsplit

from runbooks.limits import MAX_TEMPLATE_CHARS
from runbooks.model import TEMPLATE_PLACEHOLDERS

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
"""`${NAME}`, or `${NAME:-default}` as in the shell: the default when NAME is unset."""


@cache
def _header_name() -> re.Pattern[str]:
    return re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


_SLUG_LIMIT = 48
_LISTED = 12
"""Choices named in one message at most; a long runbook must not make each message long."""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like `word`, if any is close enough to be a likely typo."""
    import difflib  # here: only a mistake needs a suggestion

    matches = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return matches[0] if matches else None


def suggest(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest choice, or nothing."""
    match = closest(word, choices)
    return f" (did you mean '{match}'?)" if match else ""


def allowed(choices: Collection[str]) -> str:
    """The choices as a list for a message: the first few, and how many more there are
    (without copying them: this may be called once per problem on a long list)."""
    more = len(choices) - _LISTED
    return ", ".join(islice(choices, _LISTED)) + (f" and {more} more" if more > 0 else "")


def choices_hint(
    word: str, choices: Collection[str], label: str = "allowed", *, suggest: bool = True
) -> str:
    """` (did you mean 'x'? allowed: a, b)`, or ` (none defined)` when there is no choice.

    `suggest=False` leaves out the guess, which compares `word` with every choice.
    """
    if not choices:
        return " (none defined)"
    match = closest(word, choices) if suggest else None
    guess = f"did you mean '{match}'? " if match else ""
    return f" ({guess}{label}: {allowed(choices)})"


def id_problem(value: str, what: str) -> str | None:
    """Why `value` cannot be an id, or None: ids are typed on the command line."""
    if _ID.fullmatch(value):
        return None
    return f"invalid {what} '{value}' (use up to 64 letters, digits, '-', '_' or '.')"


def first_at(place: str, file: str) -> str:
    """`place` (`FILE:LINE`) as a message told in `file` names it: `line 10` in the same
    file, `dupx.yaml:10` from another."""
    line = place.removeprefix(f"{file}:")
    return f"line {line}" if line != place and line.isdigit() else place


def too_long(what: str, length: int, limit: int) -> str:
    """The problem for text over its limit: `'title' is 900,000 characters (at most 200)`."""
    return f"{what} is {length:,} characters (at most {limit:,})"


def slugify(text: str, fallback: str) -> str:
    """A short lowercase id made from `text`, or `fallback` when nothing usable is left."""
    import unicodedata  # a shared library to load, for `init` and Markdown runbooks only

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > _SLUG_LIMIT:
        cut = slug[:_SLUG_LIMIT]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[_SLUG_LIMIT // 2 :] else cut
    return slug.strip("-") or fallback


class UniqueIds:
    """Makes ids unique as `base`, `base-2`, `base-3`, ... against a growing set of taken ids.

    It remembers the next number to try for each base: trying `step-2` ... `step-n`
    again for the n-th task called "Step" made long Markdown runbooks quadratic
    (20,000 phases took minutes). Correct as long as `taken` only grows.
    """

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def make(self, base: str, taken: Container[str]) -> str:
        """`base`, or the first `base-N` not in `taken`; the caller adds it to `taken`."""
        if base not in taken:
            return base
        number = self._next.get(base, 2)
        while f"{base}-{number}" in taken:
            number += 1
        self._next[base] = number + 1
        return f"{base}-{number}"


def template_problems(text: str) -> list[str]:
    """What is wrong with a communication template: braces and placeholders."""
    return [message for _at, message in template_problems_at(text)]


def template_problems_at(text: str) -> list[tuple[int | None, str]]:
    """`template_problems`, each with where in `text` its placeholder starts (None for
    the template as a whole), for the line to point there (ux_review17 #10)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        said = f"malformed template braces: {exc} (write '{{{{' or '}}}}' for a literal brace)"
        return [(_lone_brace(text), said)]
    return [
        (_placeholder_at(text, message), message) for message in _placeholder_problems(text, parsed)
    ]


def _placeholder_at(text: str, message: str) -> int | None:
    """Where the placeholder `message` quotes first (`'{verison_now}'`) is in `text`."""
    quoted = re.search(r"'\$?(\{[^']*\})'", message)
    if quoted is None:
        return None
    found = text.find(quoted.group(1))  # else `{eta:>5}`, quoted as '{eta}'
    found = found if found >= 0 or len(quoted.group(1)) < 3 else text.find(quoted.group(1)[:-1])
    return None if found < 0 else found


def _lone_brace(text: str) -> int | None:
    """Where the first brace that opens no placeholder is: `{time (T` has one."""
    at = 0
    while at < len(text):
        pair = text[at : at + 2]
        if pair in ("{{", "}}"):
            at += 2
        elif text[at] == "}":
            return at
        elif text[at] == "{":
            close = text.find("}", at)
            if close < 0 or "{" in text[at + 1 : close]:
                return at
            at = close + 1
        else:
            at += 1
    return None


def _placeholder_problems(
    text: str, parsed: list[tuple[str, str | None, str | None, str | None]]
) -> list[str]:
    problems: list[str] = []
    names = ", ".join(sorted(TEMPLATE_PLACEHOLDERS))  # whole: the one list an author sees
    for literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name == "" or name.isdigit():
            problems.append(f"positional placeholder '{{{name}}}'; use a name (allowed: {names})")
        elif name not in TEMPLATE_PLACEHOLDERS and literal.endswith("$"):
            problems.append(
                f"unknown placeholder '${{{name}}}': a template does not read the environment, "
                f"only URLs and headers do (allowed: {names})"
            )
        elif name not in TEMPLATE_PLACEHOLDERS:
            guess = closest(name, TEMPLATE_PLACEHOLDERS)
            hint = f"did you mean '{guess}'? " if guess else ""
            problems.append(f"unknown placeholder '{{{name}}}' ({hint}allowed: {names})")
        elif spec or conversion:
            problems.append(f"placeholder '{{{name}}}' must not have a format spec or conversion")
    written = sum(len(literal) for literal, _name, _spec, _conversion in parsed)
    if written > MAX_TEMPLATE_CHARS:
        problems.append(
            f"{written:,} characters of text; a message holds at most {MAX_TEMPLATE_CHARS:,}"
        )
    return problems


def template_placeholders(text: str) -> tuple[str, ...]:
    """The placeholder names a (valid) template uses, in order of first use."""
    names = [name for _l, name, _s, _c in string.Formatter().parse(text) if name]
    return tuple(dict.fromkeys(names))


def with_defaults(template: str) -> str:
    """`template` with each `${NAME:-default}` read as its default: what a runbook's
    URL is when nothing is set, and so what the loader can check."""
    return ENV_REFERENCE.sub(lambda m: m.group(0) if m.group(2) is None else m.group(2), template)


def url_problem(url: str) -> str | None:
    """Why `url` cannot be probed, or None: http(s) with a host, nothing else.

    References with a default are checked as their default; a URL that is one
    reference without a default (`${HEALTH_URL}`) is only known when it is sent.
    The URL is quoted without its password (`without_password`)."""
    written, url = url, with_defaults(url)
    if ENV_REFERENCE.fullmatch(url):
        return None
    if not url.strip():
        return "'url' must not be empty"
    shown = without_password(url)
    if malformed_reference(url):
        return f"malformed environment reference in URL '{shown}': {_REFERENCE_FORM}"
    if (head := ENV_REFERENCE.match(url)) is not None:  # `${PAY_URL}/healthz` (ux_review17 #7)
        rest = url[head.end() :]
        return (
            f"URL '{shown}' starts with {head.group(0)}, which has no default, so its scheme "
            f"is not known until it is sent: give the default with its scheme, "
            f"'${{{head.group(1)}:-http://host:port}}{rest}', or read the whole URL, "
            f"'{head.group(0)}'"
        )
    if any(ch.isspace() for ch in url):
        return f"URL '{shown}' must not contain spaces"
    try:
        parts = urlsplit(url)
        if not ENV_REFERENCE.search(parts.netloc):  # `host:${PORT}`: known when sent
            parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"invalid URL '{shown}': {exc}"
    fix = scheme_fix(written)  # `localhost:8080/x` parses as the scheme localhost
    if not parts.scheme or fix:
        said = f": write {without_password(fix)!r}" if fix else ""
        shown = without_password(fix).removeprefix("http://") if fix else shown
        return f"URL '{shown}' needs a scheme (http:// or https://){said}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"unsupported URL scheme '{parts.scheme}' in '{shown}' (use http or https)"
    if not parts.hostname:
        return f"URL '{shown}' has no host"
    return None


def scheme_fix(url: str) -> str | None:
    """`url` with the `http://` it lacks, when that makes it a URL a probe can read
    (`localhost:18081/healthz` -> `http://localhost:18081/healthz`; ux_review17 #6); None
    for one with a scheme, or one that starts with a reference (`${BASE}/x`: what the
    variable holds decides)."""
    if "://" in url or url.startswith("$") or not url.strip():
        return None
    fixed = f"http://{url}"
    return fixed if url_problem(fixed) is None else None


_PASSWORD = re.compile(r"^([^:/?#\s]+://[^/?#@:]*):[^/?#]*@")
"""`scheme://user:password@`: what comes after the user's colon, up to the last `@`
before the path."""


def without_password(url: str) -> str:
    """`url` as an error may quote it: a password in it (`http://admin:s3cret@host/`)
    shown as `…`. Read from the text, not parsed, since the URL quoted is often one
    that does not parse."""
    return _PASSWORD.sub(r"\1:…@", url, count=1)


def header_name_problem(name: str) -> str | None:
    if _header_name().fullmatch(name):
        return None
    return f"invalid header name '{name}'"


def header_value_problem(name: str, value: str) -> str | None:
    """Why a header value is unusable, or None; `${NAME}` references are checked."""
    if "\n" in value or "\r" in value:
        return f"header '{name}' must not contain a line break"
    if malformed_reference(value):
        return f"malformed environment reference in header '{name}': {_REFERENCE_FORM}"
    if (at := _first_not_ascii(with_defaults(value))) is not None:
        # The value may be a secret: say where, never what.
        return (
            f"header '{name}' has a character that is not ASCII at position {at + 1}: "
            "HTTP sends header values as ASCII"
        )
    return None


_REFERENCE_FORM = "write ${NAME} with letters, digits and '_'"


def malformed_reference(value: str) -> bool:
    """Whether a `${` in `value` starts no `${NAME}` or `${NAME:-default}`."""
    position = 0
    while (start := value.find("${", position)) >= 0:
        match = ENV_REFERENCE.match(value, start)
        if match is None:
            return True
        position = match.end()
    return False


def _first_not_ascii(text: str) -> int | None:
    if text.isascii():
        return None
    return next(index for index, ch in enumerate(text) if not ch.isascii())


def env_references(value: str) -> tuple[str, ...]:
    """Environment variable names a header value refers to as `${NAME}`."""
    return tuple(match.group(1) for match in ENV_REFERENCE.finditer(value))
