"""Which characters runbook text may hold, and how to name the ones it may not.

Runbook text ends up on a coordinator's terminal, in reports and in chat messages.
A control character there can move the cursor, rewrite what was shown or hide a
step, so the loaders refuse C0 controls (except tab and newline), DEL, C1 controls
and the Unicode line and paragraph separators, wherever they come from: typed
into the file or written as a YAML escape such as `"\\e"`. A command refuses the
bidirectional controls as well, which would show it in another order than it runs,
and the invisible characters, which a reviewer would not see at all.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

_C0_NAMES = (  # noqa: SIM905 (a table, easier to read as one string)
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
    "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()
_C1_NAMES = (  # noqa: SIM905
    "PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 "
    "DCS PU1 PU2 STS CCH MW SPA EPA SOS SGCI SCI CSI ST OSC PM APC"
).split()
_NAMES: Final = {
    **{chr(code): name for code, name in enumerate(_C0_NAMES)},
    "\x7f": "DEL",
    **{chr(0x80 + code): name for code, name in enumerate(_C1_NAMES)},
    "\u2028": "LINE SEPARATOR",
    "\u2029": "PARAGRAPH SEPARATOR",
}


_IN_STRINGS: Final = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff"


@cache
def forbidden_in_strings() -> re.Pattern[str]:
    """Characters no runbook string may hold once read: tab and newline are the only
    controls allowed (a field that must be one line refuses newline as well). Lone
    surrogates (from a `"\\uD800"` escape) are refused too: they cannot be stored or shown."""
    return re.compile(f"[{_IN_STRINGS}]")


BIDI_CONTROLS: Final = "\u202a-\u202e\u2066-\u2069\u061c\u200e\u200f"
"""The bidirectional embeddings, overrides, isolates and marks: a terminal or an editor
draws the text around one in another order than it is stored ("Trojan Source"), so the
output shows them as controls (`incident.core.text`)."""


INVISIBLE: Final = (
    "\u200b-\u200d\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
    "\u115f\u1160\u3164\uffa0"
)
"""The zero-width space, joiner and non-joiner, word joiner, invisible operators,
deprecated format controls, byte-order mark, interlinear annotations, tag characters
and Hangul fillers: they show nothing, so the output names them by code (a joiner
unless it joins two characters beyond ASCII: `incident.core.text`) and a command
refuses them."""


def is_command(path: tuple[str | int, ...]) -> bool:
    """Whether the value at `path` is run by a shell: a step's `command`, or its verify
    block's."""
    return bool(path) and path[-1] == "command" and "steps" in path


@cache
def forbidden_in_commands() -> re.Pattern[str]:
    """What no command may hold: what no string may, and the bidirectional controls. A
    reviewer reading `echo ok \\u202e# ; rm -rf /` in the YAML sees it in another order
    than the shell runs it; nor an invisible character, which the reviewer does not see."""
    return re.compile(f"[{_IN_STRINGS}{BIDI_CONTROLS}{INVISIBLE}]")


@cache
def forbidden_in_files() -> re.Pattern[str]:
    """Characters no runbook file may hold anywhere, comments included: the same, with
    carriage return allowed only as part of a CRLF line end. A lone CR or a Unicode
    separator would also make YAML and editors disagree on line numbers."""
    return re.compile("\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


PRINTABLE_REASON: Final = "runbook text is shown to people and must be printable"


@cache
def _visible() -> re.Pattern[str]:
    return re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def describe(char: str) -> str:
    """`U+001B (ESC)`: a character named so that people can find it."""
    name = _NAMES.get(char)
    code = f"U+{ord(char):04X}"
    return f"{code} ({name})" if name else code


def control_message(char: str, where: str) -> str:
    """The problem for a control character found `where` (such as "in a string")."""
    if "\ud800" <= char <= "\udfff":
        return f"unpaired surrogate {describe(char)} {where}; runbook text must be valid Unicode"
    if re.fullmatch(f"[{BIDI_CONTROLS}]", char):
        return (
            f"bidirectional control {describe(char)} {where}: "
            "it would show the command in another order than it runs"
        )
    if re.fullmatch(f"[{INVISIBLE}]", char):
        return (
            f"invisible character {describe(char)} {where}: "
            "a reviewer reading the command would not see it"
        )
    return f"control character {describe(char)} {where}; {PRINTABLE_REASON}"


def visible(text: str) -> str:
    """`text` with every control character (tab and newline too) written as an escape,
    so that a message quoting runbook text stays one printable line."""
    return _visible().sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    special = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(char)
    if special:
        return special
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
