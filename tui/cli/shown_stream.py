"""The CLI's stdout and stderr, made unable to carry a raw control character.

Everything the commands print (status lines, `monitor` readings, a command
step's output, error messages quoting what someone typed) passes through here,
so a title holding ESC or an OSC 52 clipboard write is shown as text in the
terminal and never obeyed. Newline and tab pass; every other control is shown
by `incident.core.text.visible_block`. Single-line fields are made visible where
their lines are assembled, so one field cannot forge another line; this is the
backstop that makes a forgotten field harmless.

The JSON export, tens of MB, takes the same rule another way: each chunk is
checked as it is encoded (`shown_utf8`) and the bytes are written beneath the text
layer (`ShownStream.write_shown`), so they are not decoded, checked and encoded again.
"""

from __future__ import annotations

import codecs
import sys

from incident.core.text import block_is_visible, json_text, utf8_block_is_visible, visible_block
from tui.cli.stdout import is_utf8

TYPE_CHECKING = False  # `typing` waits until the arguments are parsed (see `incident.app.params`)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import BinaryIO, TextIO

    from incident.core.events import JSONValue


def shown(text: str) -> str:
    """`text` as the CLI prints it: newline and tab kept, every other control shown.

    CRLF passes as a pair (an .ics file is CRLF by RFC 5545); a lone CR, which
    could overwrite the line before it, is shown.
    """
    if block_is_visible(text):  # nothing to show: an export's MBs go as they are
        return text
    return "\r\n".join(visible_block(part) for part in text.split("\r\n"))


def shown_utf8(text: str) -> bytes:
    """`shown(text)` encoded as UTF-8, for `ShownStream.write_shown`: the usual ASCII
    text checked once encoded (`utf8_block_is_visible`)."""
    data = text.encode()
    return data if utf8_block_is_visible(data) else shown(text).encode()


def json_for_stdout(value: JSONValue, *, indent: int | None = 2) -> str:
    """`json_text(value)` to print: with what is beyond ASCII escaped (`\\u00e9`) when
    stdout cannot write UTF-8 (an ASCII locale), so every `--json` stays whole and
    valid there, the same document to a JSON reader."""
    return json_text(value, indent=indent, ascii_only=not is_utf8(sys.stdout))


class ShownStream:
    """A text stream that writes `shown(text)` to the stream it wraps."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(shown(text))
        return len(text)

    def write_shown(self, parts: Iterable[bytes]) -> None:
        """Text `shown_utf8` made, in parts, written as it is: to the wrapped stream's
        bytes beneath its text layer (flushed first) where it has them, else decoded
        (a part may end inside a character)."""
        self._stream.flush()
        raw: BinaryIO | None = getattr(self._stream, "buffer", None)
        if raw is not None:
            for part in parts:
                raw.write(part)
            raw.flush()
            return
        decoder = codecs.getincrementaldecoder("utf-8")()
        for part in parts:
            self._stream.write(decoder.decode(part))
        self._stream.write(decoder.decode(b"", final=True))
        self._stream.flush()

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:
        return self._stream.encoding

    @property
    def wrapped(self) -> TextIO:
        """The stream written to."""
        return self._stream


def show_control_characters() -> None:
    """Wrap sys.stdout and sys.stderr for the rest of this process.

    Textual draws on `sys.__stderr__`, the original stream, so the TUI is
    unaffected; its widgets follow the same rule through `tui.app.plain`.
    """
    if not isinstance(sys.stdout, ShownStream):
        sys.stdout = ShownStream(sys.stdout)
    if not isinstance(sys.stderr, ShownStream):
        sys.stderr = ShownStream(sys.stderr)
