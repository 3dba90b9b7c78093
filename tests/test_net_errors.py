"""`safe_line` and `redact`: no secret, whole or in part, in any spelling, survives.

The property tests state the promise directly, with an oracle that does not share
the redactor's code: after `safe_line`, no `PIECE_CHARS` characters of a secret are
left, neither in the text as written nor in the bytes its `%XX` escapes stand for.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote, quote_plus, unquote_to_bytes

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incident.core.secrets import (
    DETAIL_MAX_CHARS,
    PIECE_CHARS,
    MissingEnvironment,
    RequestSetupError,
    Secrets,
    expand_request,
    redact,
    safe_line,
    secrets_for,
)

TOKEN = "SeCrEt-Tok3n-XyZ-0042"

# Secrets never contain '*' here: a secret spelled with the redaction mark itself
# could be re-formed from `***` and its neighbours, which no redactor can rule out.
_ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs"),
    exclude_characters="*…",
) | st.sampled_from("\t\n é中/+%\"'\\")


def _ascii_upper(text: str) -> str:
    return "".join(ch.upper() if ch.isascii() else ch for ch in text)


def _ascii_lower(text: str) -> str:
    return "".join(ch.lower() if ch.isascii() else ch for ch in text)


SPELLINGS: dict[str, Callable[[str], str]] = {
    "raw": lambda s: s,
    "upper": _ascii_upper,
    "lower": _ascii_lower,
    "percent": lambda s: quote(s, safe=""),
    "percent-path": lambda s: quote(s, safe="/:@!$&'()+,;="),
    "percent-plus": lambda s: quote_plus(s, safe=""),
    "json": lambda s: json.dumps(s)[1:-1],
    "json-utf8": lambda s: json.dumps(s, ensure_ascii=False)[1:-1],
    "repr": lambda s: repr(s)[1:-1],
}
ESCAPED = ("json", "json-utf8", "repr")
"""Spellings matched as written; the others are matched through what they decode to."""


def leaked_pieces(output: str, secret: str, spelled: str | None = None) -> list[str]:
    """Every `PIECE_CHARS`-long run of `secret` (or of its escaped `spelled` form)
    that `output` still holds, ignoring ASCII case."""
    folded = " ".join(secret.split())
    found: list[str] = []
    decoded = {unquote_to_bytes(output).lower(), unquote_to_bytes(output.replace("+", " ")).lower()}
    secret_bytes = folded.encode().lower()
    size = min(PIECE_CHARS, len(secret_bytes))
    for i in range(len(secret_bytes) - size + 1):
        piece = secret_bytes[i : i + size]
        if any(piece in text for text in decoded):
            found.append(piece.decode(errors="replace"))
    if spelled is not None:
        lowered, written = _ascii_lower(output), _ascii_lower(spelled)
        size = min(PIECE_CHARS, len(written))
        found += [
            written[i : i + size]
            for i in range(len(written) - size + 1)
            if written[i : i + size] in lowered
        ]
    return found


@settings(max_examples=400)
@given(
    secret=st.text(_ALPHABET, min_size=PIECE_CHARS, max_size=40).filter(
        lambda s: len(" ".join(s.split()).encode()) >= PIECE_CHARS
    ),
    spelling=st.sampled_from(sorted(SPELLINGS)),
    before=st.text(_ALPHABET, max_size=200),
    after=st.text(_ALPHABET, max_size=200),
    cut=st.tuples(st.integers(0, 200), st.integers(0, 200)),
)
def test_no_piece_of_a_secret_survives_in_any_spelling_or_cut(
    secret: str, spelling: str, before: str, after: str, cut: tuple[int, int]
) -> None:
    spelled = SPELLINGS[spelling](secret)
    start, stop = sorted(cut)
    shown = spelled[start:stop] if stop - start >= PIECE_CHARS else spelled  # cut upstream
    line = safe_line(before + shown + after, Secrets(values=(secret,)))
    assert len(line) <= DETAIL_MAX_CHARS and "\n" not in line
    escaped = spelled if spelling in ESCAPED else None
    assert leaked_pieces(line, secret, escaped) == [], (line, shown)


@settings(max_examples=200)
@given(
    parts=st.lists(
        st.sampled_from(["x" * 30, " \n ", TOKEN, TOKEN.lower(), quote(TOKEN), "%", "ab"])
        | st.text(_ALPHABET, max_size=12),
        max_size=200,
    ),
    limit=st.integers(5, 200),
)
def test_reading_only_a_prefix_gives_the_line_the_whole_text_would(
    parts: list[str], limit: int
) -> None:
    """`safe_line` reads as little of a long body as it can; the line must not change."""
    text, secrets = "".join(parts), Secrets(values=(TOKEN,), literals=("Bearer x",))
    whole = redact(" ".join(text.split()), secrets)
    expected = whole if len(whole) <= limit else whole[: limit - 1].rstrip() + "…"
    assert safe_line(text, secrets, limit) == expected


def test_a_secret_cut_by_the_prefix_read_is_not_kept_in_part() -> None:
    """The first read (4 x 20 characters) ends 5 characters into TOKEN, just after a
    60-character secret that redacts to 3: the line must not end "*** SeCrE…"."""
    long_secret = "Lg" + "".join(f"{n:02d}" for n in range(29))
    text = "abcdefghijklmn " + long_secret + TOKEN + " and more text"
    assert len("abcdefghijklmn " + long_secret) + 5 == 4 * 20
    line = safe_line(text, Secrets(values=(long_secret, TOKEN)), limit=20)
    assert line == "abcdefghijklmn ***…"


@pytest.mark.parametrize("into", range(1, len(TOKEN)))
def test_a_token_straddling_the_cut_leaves_nothing_of_itself(into: int) -> None:
    """Cutting first, then redacting, would keep the token's first `into` characters."""
    lead = "x" * (DETAIL_MAX_CHARS - 1 - len(" Bearer ") - into)
    body = f"{lead} Bearer {TOKEN} " + "y" * 50
    assert body[: DETAIL_MAX_CHARS - 1].endswith(TOKEN[:into])  # the cut falls in the token
    line = safe_line(body, Secrets(values=(TOKEN,)))
    assert line.endswith("…") and len(line) <= DETAIL_MAX_CHARS
    assert TOKEN[: min(into, 3)].lower() not in line.lower(), line  # "x… Bearer *** y…"
    assert leaked_pieces(line, TOKEN) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"cannot resolve host {TOKEN.lower()}.invalid", "cannot resolve host ***.invalid"),
        (f"GET /hook/{quote(TOKEN, safe='')}?q=1", "GET /hook/***?q=1"),
        (f'{{"auth": "Bearer {TOKEN}"}}', '{"auth": "Bearer ***"}'),
        (f"echo: {TOKEN[:11]}", "echo: ***"),  # the start of a token, cut upstream
        (
            f"Codepoint U+09F6 at position 3 of 'se\u09f6{TOKEN.lower()[2:14]}' not allowed",
            "Codepoint U+09F6 at position 3 of 'se\u09f6***' not allowed",
        ),
    ],
)
def test_hosts_urls_bodies_and_exception_texts(text: str, expected: str) -> None:
    assert safe_line(text, Secrets(values=(TOKEN,))) == expected


def test_runbook_literals_are_hidden_whole_and_only_whole() -> None:
    secrets = Secrets(literals=("application/json", "Basic dXNlcjpwYXNz"))
    assert redact("sent Basic dXNlcjpwYXNz", secrets) == "sent ***"
    assert redact("415: want application/xml", secrets) == "415: want application/xml"


def test_short_values_are_not_secrets_worth_mangling_messages_for() -> None:
    env = {"A": "abc", "B": "eu-1", "C": "x" * 9}
    secrets = secrets_for("http://h/?a=${A}", [("X", "${B}")], env, webhook=False)
    assert secrets.values == ("eu-1",)
    assert redact("abc eu-1 xxxxxxxxx", secrets) == "abc *** xxxxxxxxx"


def test_secrets_are_the_values_the_one_rule_calls_secret_and_the_templates_as_written() -> None:
    """`runbooks.secret_reads`: a probe's host and path are not secrets, a header's
    value and a query's are; of a webhook's path its token-like segments; of a
    whole-URL variable only its credential parts."""
    env = {"HOST": "internal-prom", "TOKEN": TOKEN, "SVC": "checkout", "UNUSED": "not-referenced"}
    env["URL"] = "https://ada:pw-12345@shop.example/health?key=qk-12345"
    url, headers = "https://${HOST}/${SVC}/q?t=xyz1", [("Authorization", "Bearer ${TOKEN}")]
    secrets = secrets_for(url, headers, env, webhook=False)
    assert secrets.values == (TOKEN,)
    assert secrets.literals == ("t=xyz1", "xyz1", "Bearer ${TOKEN}")
    assert secrets_for(url, [], env, webhook=True).values == ()  # no token-like segment
    env["SVC"] = "T0001/B0002/Tok3nTok3n"
    assert secrets_for(url, [], env, webhook=True).values == ("T0001", "B0002", "Tok3nTok3n")
    whole = secrets_for("${URL}", [], env, webhook=False)
    assert whole.values == ("ada:pw-12345", "pw-12345", "key=qk-12345", "qk-12345")
    assert redact("GET https://shop.example/health?key=qk-12345", whole) == (
        "GET https://shop.example/health?***"
    )


def test_expand_request_fills_url_and_headers_and_names_what_is_missing() -> None:
    env = {"HOST": "example.invalid", "TOKEN": TOKEN}
    outgoing = expand_request("https://${HOST}/p?t=${TOKEN}", [("A", "Bearer ${TOKEN}")], env)
    assert outgoing.url == f"https://example.invalid/p?t={TOKEN}"
    assert outgoing.headers == [("A", f"Bearer {TOKEN}")]
    with pytest.raises(MissingEnvironment, match=r"^environment variable GONE is not set$"):
        expand_request("https://${GONE}/", [], env)
    with pytest.raises(RequestSetupError, match="control character") as raised:
        expand_request("https://h/", [("A", "${TOKEN}")], {"TOKEN": "x\r\nEvil: 1"})
    assert "Evil" not in str(raised.value)


@pytest.mark.parametrize("before", range(150, 160))
def test_a_line_stored_as_text_never_ends_in_half_an_escape(before: int) -> None:
    """A delivery error kept as text shows its controls (`\\x9b`, `\\u202e`) before the
    cut: wherever the cut falls, an escape is kept whole or dropped whole."""
    for control, shown in (("\x9b", "\\x9b"), ("\u202e", "\\u202e")):
        line = safe_line("a" * before + control + "b" * 40, Secrets(), show_controls=True)
        kept = line.removesuffix("…").removeprefix("a" * before)
        assert kept in ("", shown) or kept.startswith(shown), line[-12:]
