"""Text from people, runbooks and probed services is data: shown, never obeyed.

A note, a title, a runbook string or a probe's response body may hold terminal
control sequences (a screen clear, a window-title change, an OSC 52 clipboard
write) that a terminal would obey if they were printed raw. Every output of
lastgood therefore passes such text through one of the two functions here, and
the same rule holds in the CLI, the exports and the TUI:

- `visible` for a single-line field: every control character becomes a visible
  stand-in, newline and tab included, so one field cannot forge another line.
- `visible_block` for multi-line text (a message as sent, a command's output in a
  fenced block): newline and tab stay, every other control character is shown.

The stand-ins are the Unicode control pictures (``␛`` for ESC, ``␀`` for NUL,
``␡`` for DEL); the C1 controls, which have none, are shown as ``\\x9b``.
The bidirectional controls (U+202A-U+202E, U+2066-U+2069, and the marks LRM, RLM
and ALM) count as controls too, shown as ``\\u202e``: they make a terminal draw the
text around them in another order than it is stored ("Trojan Source"), so a note could
read as something it does not say; a mark is invisible besides, so `Ada` followed by
an RLM would pass for `Ada`. So do the line and paragraph separators (U+2028, U+2029),
which Python's `splitlines` and some renderers take for line ends: a commit subject
holding one read as two commits.

So do the invisible characters that join or carry nothing a reader needs: the
zero-width space, word joiner and byte-order mark, the invisible operators, the
deprecated format controls and the interlinear annotations, shown as ``\u200b``;
the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), letters that draw as blank
space, so a name of one drew as nothing; and the tag characters (U+E0000-U+E007F),
shown as ``\U000e0041``, which spell ASCII text no one sees ("ASCII smuggling":
instructions a reader cannot review). `al\u200bice` is not `alice`, and the output
says so. The zero-width joiner and non-joiner stay only where they do something:
between two characters beyond ASCII that are shown as they are (an emoji sequence,
a Persian, Arabic or Indic word); anywhere else (`Ada` and a joiner, a joiner between
ASCII letters) they are shown as ``\u200d``. A subdivision flag (a black flag and
tags) shows its tags as codes: the price of never hiding text. A lone surrogate (half
of a UTF-16 pair, which a JSON `"\\ud800"` decodes to and no UTF-8 can write) is
shown as its code too, and recorded so (`storable`).

The same characters are what `has_control` and `first_control` find, so what a name
may not hold (`incident.core.names`) is what the output would show as a code.
JSON keeps the exact text, escaped: `json_text`.

Counts are written one way too: `counted` gives `1 event`, `2 events`, never
`1 events` nor `event(s)`.
"""

from __future__ import annotations

import re
from functools import cache

TYPE_CHECKING = False  # `typing` waits until the arguments are parsed (see `incident.app.params`)

if TYPE_CHECKING:
    from typing import Final

    from incident.core.events import JSONValue

_C0: Final = {code: chr(0x2400 + code) for code in range(0x20)}
_DEL: Final = {0x7F: "\u2421"}
_C1: Final = {code: f"\\x{code:02x}" for code in range(0x80, 0xA0)}
_SEPARATORS_AND_BIDI: Final = (
    *range(0x2028, 0x202F),
    *range(0x2066, 0x206A),
    0x061C,  # arabic letter mark
    0x200E,  # left-to-right mark
    0x200F,  # right-to-left mark
)
"""The line and paragraph separators, and the bidirectional controls (marks included)."""
_INVISIBLE: Final = (
    0x200B,  # zero-width space
    *range(0x2060, 0x2065),  # word joiner, invisible operators
    *range(0x206A, 0x2070),  # deprecated format controls
    0xFEFF,  # byte-order mark (zero-width no-break space)
    *range(0xFFF9, 0xFFFC),  # interlinear annotation
    *range(0xE0000, 0xE0080),  # tag characters
    0x115F,  # hangul choseong filler
    0x1160,  # hangul jungseong filler
    0x3164,  # hangul filler
    0xFFA0,  # halfwidth hangul filler
)
"""Characters that show nothing and join nothing a reader needs (the module's docstring)."""
_SURROGATES: Final = range(0xD800, 0xE000)
"""Half of a UTF-16 pair: no text holds one alone, and UTF-8 cannot write it (`storable`)."""


def _shown_as_codes() -> tuple[int, ...]:
    """Every character `visible` shows by its code but the C1 controls. Made when a table
    is built from it, not at import: the 2,048 surrogates make it 2,200 ints (80 KiB),
    which every process held from its first import, the coordinator's first frame too."""
    return (*_SEPARATORS_AND_BIDI, *_INVISIBLE, *_SURROGATES)


def _code(code: int) -> str:
    """How `visible` shows a character it escapes: `\\u202e`, `\\U000e0041`."""
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


_ESCAPED_CLASS: Final = (
    "\u2028-\u202e\u2066-\u2069\u061c\u200e\u200f\u200b\u2060-\u2064\u206a-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f\u115f\u1160\u3164\uffa0\ud800-\udfff"
)
"""`_shown_as_codes()` as a regular expression's character class."""
_BLANK_LETTERS: Final = "\u115f\u1160\u3164\uffa0"
"""The Hangul fillers: printable (letters), so `str.isprintable` does not see them."""
_JOINERS: Final = "\u200c\u200d"
_JOINED: Final = f"[^\x00-\x9f\\s{_ESCAPED_CLASS}{_JOINERS}]"
"""What a joiner may stand between: a character beyond ASCII, shown as it is."""
_STRAY_JOINER: Final = f"(?<!{_JOINED})[{_JOINERS}]|[{_JOINERS}](?!{_JOINED})"
"""A zero-width joiner or non-joiner not between two such characters: it joins nothing."""


@cache
def _line_table() -> dict[int, str]:
    """Built on first need, not at import: its 2,300 entries (the surrogates are most of
    them) cost 1.5 ms, and most processes print only printable text (`_shows_as_is`)."""
    return {**_C0, **_DEL, **_C1, **{code: _code(code) for code in _shown_as_codes()}}


@cache
def _block_table() -> dict[int, str]:
    return {code: shown for code, shown in _line_table().items() if code not in (9, 10)}


@cache
def _control() -> re.Pattern[str]:
    return re.compile(f"[\x00-\x1f\x7f-\x9f{_ESCAPED_CLASS}]|{_STRAY_JOINER}")


@cache
def _block_control() -> re.Pattern[str]:
    """What `visible_block` changes: every control but tab and newline (CR among them)."""
    return re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_ESCAPED_CLASS}]|{_STRAY_JOINER}")


@cache
def _stray_joiner() -> re.Pattern[str]:
    return re.compile(_STRAY_JOINER)


def _joiners_shown(text: str) -> str:
    """`text` with each joiner that joins nothing written as its code (the module's
    docstring), read in the text as given: before any other character is replaced."""
    if "\u200c" not in text and "\u200d" not in text:
        return text
    return _stray_joiner().sub(lambda match: _code(ord(match.group())), text)


_ASCII_BLOCK_CODES: Final = (*range(0x09), *range(0x0B, 0x20), 0x7F)
"""The same among ASCII characters."""
_ASCII_BLOCK_CONTROL: Final = str.maketrans(dict.fromkeys(_ASCII_BLOCK_CODES))
"""`_ASCII_BLOCK_CODES` to delete: a translation of ASCII text runs in C."""
_ASCII_BLOCK_BYTES: Final = bytes(_ASCII_BLOCK_CODES)


@cache
def _json_raw() -> re.Pattern[str]:
    return re.compile(f"[\x7f-\x9f{_ESCAPED_CLASS}]|{_STRAY_JOINER}")


def _shows_as_is(text: str) -> bool:
    """Whether `visible` leaves `text` as it is, checked in C for the usual case: a
    printable string holds no control (they are all category Cf or Cc), and only the
    Hangul fillers among printable characters are shown as codes."""
    return text.isprintable() and (
        text.isascii() or not any(blank in text for blank in _BLANK_LETTERS)
    )


@cache
def _lone_surrogate() -> re.Pattern[str]:
    return re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """`text` with each lone surrogate written as its code (`\\ud800`), all else as it is.

    A JSON string may spell one (`"\\ud800"` is valid JSON text, and Python's parser
    decodes it to a code point no UTF-8 can hold): stored raw, it made the record refuse
    the whole tick it was in. Every line from the network passes through here on its way
    to the record (`incident.core.secrets.safe_line`), so what a service sent is kept as
    text that says what it was.
    """
    # A printable string holds no surrogate (category Cs): the usual case, checked in C.
    if text.isprintable():
        return text
    return _lone_surrogate().sub(lambda found: _code(ord(found.group())), text)


def visible(text: str) -> str:
    """`text` on one line, every control character replaced by a visible stand-in."""
    # A table translation walks the text a character at a time: a report makes
    # 100,000 calls, so the usual printable text is returned at once.
    return text if _shows_as_is(text) else _joiners_shown(text).translate(_line_table())


LINE_MARK: Final = " \u23ce "
"""Where a line ended, in text shown on one line (`one_line`)."""
_CR: Final = "\u240d"


def one_line(text: str) -> str:
    """`text` shown on one line, its words whole (ux_review16 #16): each line break
    (a newline, or CRLF) shown as `LINE_MARK` (`first ⏎ - second`, not a list item
    read as a dash in a sentence), a lone CR as `␍` as `visible` shows every other
    control, leading and trailing blank lines dropped, and any other run of white
    space (tabs, the other separators `str.split` knows) folded to one space; every
    other control shown (`visible`). What the timeline, a table cell and every
    one-line Markdown field show of a note, a reason or a message."""
    if "\n" not in text and "\r" not in text:
        return visible(" ".join(text.split()))
    broken = text.replace("\r\n", "\n").replace("\r", _CR).split("\n")
    lines = [" ".join(line.split()) for line in broken]
    while lines and not lines[-1]:
        lines.pop()
    start = next((index for index, line in enumerate(lines) if line), len(lines))
    shown = lines[start] if start < len(lines) else ""
    for line in lines[start + 1 :]:  # a blank line between: `a ⏎ ⏎ b`
        shown += f"{LINE_MARK}{line}" if line else LINE_MARK.rstrip()
    return visible(shown)


def visible_block(text: str) -> str:
    """`text` with its lines kept: CRLF read as a newline, every other control shown."""
    if block_is_visible(text):
        return text
    return _joiners_shown(text.replace("\r\n", "\n")).translate(_block_table())


_REORDERING: Final = (*range(0x2028, 0x202F), *range(0x2066, 0x206A))
"""The line and paragraph separators and the bidi embeddings, overrides and isolates:
what makes a terminal draw a line other than it is held (the marks only nudge the
neutral characters beside them)."""
_FIELD: Final = str.maketrans(
    {
        **{
            code: picture for code, picture in {**_C0, **_DEL, **_C1}.items() if code not in (9, 10)
        },
        **{code: _code(code) for code in _REORDERING},
    }
)


def field_safe(text: str) -> str:
    """`text` as a TUI field may hold it, the terminal drawing the field as it is: the
    C0 controls (but tab and newline), DEL and C1 controls as their pictures (ESC as
    ␛), and what would make the terminal draw the line in another order (the bidi
    embeddings, overrides and isolates, the line separators) as codes. Every other
    character stays itself (a zero-width space, a bidi mark, a joiner): the TUI records
    it as `lastgood note` does, and the record shows it as a code wherever it is shown."""
    return text if text.isprintable() else text.translate(_FIELD)


_STAND_IN: Final = "\u2426"
"""One cell for a character `visible` shows as a code (``\\u202e``, ``\\x9b``): a field
draws each character it holds in one place, so a code of six cells will not fit."""


@cache
def _in_place_table() -> dict[int, str]:
    """`in_place`'s table, built with the first field that draws a control, not at
    import: 2,300 entries (72 KiB), which the coordinator's first frame held unused."""
    return str.maketrans(
        {
            **{code: picture for code, picture in {**_C0, **_DEL}.items() if code != 9},
            **dict.fromkeys(_C1, _STAND_IN),
            **dict.fromkeys(_shown_as_codes(), _STAND_IN),
        }
    )


def in_place(text: str) -> str:
    """`text` as a TUI field draws it while holding `text` itself: one character for
    each, so the field's cursor and selection fall where they do in what it holds.

    What `visible` shows by a picture is drawn as that picture (ESC as ␛, a newline as
    ␊, DEL as ␡); what it shows by a code (a C1 control, a bidi override or mark, a
    line separator, a zero-width space, a tag, a joiner that joins nothing) as ␦.
    A tab stays, for the field to expand. So the field never sends the terminal a
    control character or a bidi override, and records the text as typed or pasted,
    as `lastgood note` does (review 5, finding 17)."""
    if _shows_as_is(text):
        return text
    if "\u200c" in text or "\u200d" in text:
        text = _stray_joiner().sub(_STAND_IN, text)
    return text.translate(_in_place_table())


def block_is_visible(text: str) -> bool:
    """Whether `visible_block` leaves `text` as it is: the usual case, checked in C.

    An export is tens of MB: ASCII text is checked by deleting its controls (a
    translation CPython runs without a lookup per character). Other text is printable
    once its newlines and tabs are set aside, in the usual case, and then only the
    Hangul fillers need a look (`_shows_as_is`); the pattern is left for the rest: its
    compilation was the costliest single step of `lastgood status` (about 3 ms), whose
    text has a "·" or an arrow in most lines.
    """
    if text.isascii():
        return len(text.translate(_ASCII_BLOCK_CONTROL)) == len(text)
    if _shows_as_is(text.replace("\n", "").replace("\t", "")):
        return True
    return _block_control().search(text) is None


def utf8_block_is_visible(data: bytes) -> bool:
    """`block_is_visible` of text already encoded as UTF-8, answered for ASCII alone:
    deleting a byte table's controls from bytes runs faster than translating a string,
    and a JSON export is tens of MB. False for any other text: decode it and ask again."""
    return data.isascii() and len(data.translate(None, _ASCII_BLOCK_BYTES)) == len(data)


def has_control(text: str) -> bool:
    """Whether `text` holds anything `visible` shows as a stand-in: a C0 control (newline
    and tab count), DEL, a C1 control, or a character the module's docstring names."""
    return _control().search(text) is not None


def first_control(text: str) -> int | None:
    """The index of the first control character in `text`, or None."""
    found = _control().search(text)
    return None if found is None else found.start()


def counted(count: int, noun: str, plural: str = "") -> str:
    """`count` with its noun, singular for one: `1 event`, `0 events`, `3 events`;
    `plural` for a noun that does not just take an s (`1 try`, `2 tries`)."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def either(words: list[str]) -> str:
    """Alternatives as a sentence says them: `a`, `a or b`, `a, b or c`."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} or {words[-1]}"


def json_text(
    value: JSONValue, *, indent: int | None = 2, sort_keys: bool = False, ascii_only: bool = False
) -> str:
    """JSON with the exact text, and no raw control character anywhere in it.

    `json` escapes C0 itself; DEL and the C1 controls it leaves raw when
    `ensure_ascii` is off, so they are escaped here (they can only occur inside
    strings, where `\\u00XX` means the same character). Without `indent` the
    output is compact. `ascii_only` escapes every character beyond ASCII the same
    way (`caf\\u00e9`: the same text to a JSON reader), for a stream that cannot
    write them.
    """
    import json  # here, not above: every CLI line passes through this module

    separators = (",", ":") if indent is None else None
    dumped = json.dumps(
        value, indent=indent, ensure_ascii=ascii_only, sort_keys=sort_keys, separators=separators
    )
    return escape_raw_controls(dumped)


def escape_raw_controls(dumped: str) -> str:
    """JSON text with DEL and the C1 controls escaped, as `json_text` writes them."""
    return _json_raw().sub(lambda match: _json_escape(match.group()), dumped)


def _json_escape(char: str) -> str:
    """`char` as a JSON escape: `\\u202e`; beyond the first plane, as JSON spells it, a
    surrogate pair (`\\udb40\\udc41` for U+E0041)."""
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
"""What `str.splitlines` breaks a line at."""


def line_break_in(text: str) -> str | None:
    """Why `text`, one line by nature (a title, an issue, a channel, a version), is not:
    a line break inside it, pasted from an alert or a chat; None when there is none.
    Recorded, it went into the stakeholder messages as a real line break in mid-sentence
    while the header showed ␊ and the report a space (ux_review11 #3). Notes, evidence
    and reasons are many-line text and keep theirs."""
    if LINE_BREAKS.isdisjoint(text.strip()):
        return None
    return "one line only: it holds a line break (pasted?); type or paste it as one line"
