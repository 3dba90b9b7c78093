"""What the terminal sends is data: bytes that are not UTF-8 and pasted control
characters reach the screens as characters a person can see, never as a crash or a
raw control byte.

- **Bytes that are not UTF-8.** Textual's terminal drivers decode input with a
  strict UTF-8 decoder on their input thread. One byte that is not UTF-8 (a paste
  from a terminal in a Latin-1 locale) raised there: the thread died, the app
  panicked into a traceback with exit 0, and the text typed into an open dialog was
  gone (Textualize/textual#6456, still open at the pinned release). Each driver
  module looks `getincrementaldecoder` up as a global when its input thread starts,
  so the apps hand the driver they run one whose decoders write U+FFFD instead.
- **Pasted control characters.** A paste of coloured log output carries ESC and
  friends. The fields hold a paste as it came (`DataInput`, `DataTextArea`) and draw
  each character the terminal must not be sent as a picture (ESC as ␛, U+202E as ␦),
  so the TUI records what `lastgood note` records for the same text, and the record
  shows it as a code wherever it is shown. Before, the paste was changed into
  pictures and codes before a field took it, and the note held `␛` and `\u202e`
  where the CLI's held the characters (review 5, finding 17). A widget that is not
  one of those (the command palette's search) still gets a paste with its controls
  made pictures (`field_safe`).
  A terminal sends a pasted line break as a carriage return (tmux, xterm, VTE and
  Alacritty do), so in a paste a lone CR is a line break, not a `␍`.
- **An ESC inside a paste.** Textual's parser read what followed an ESC inside a
  bracketed paste as key presses (the ESC itself as `^`), sent before the paste: a
  pasted line break after a colour code was an Enter that submitted the form, a tab
  moved the focus, and the text came out of order. `PasteAsData` feeds the parser such
  an ESC as ␛, so the paste stays one paste, in order, and then gives the paste its
  text as the terminal sent it; tmux sends a pasted ESC as it is.

`tests/tui/test_terminal_input.py` and `test_paste_with_escapes.py` send these through
a real terminal, so a Textual upgrade that decodes or pastes differently fails there
rather than in an incident.
"""

from __future__ import annotations

import codecs
import functools
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.driver import Driver
from textual.message import Message

from incident.core.text import field_safe

_FACTORY = "getincrementaldecoder"
_PARSER = "XTermParser"
_PASTE_START = "\x1b[200~"
_PASTE_END = "\x1b[201~"
_ESC = "\x1b"
_ESC_SHOWN = field_safe(_ESC)


def replacing_decoder(encoding: str) -> Callable[[], codecs.IncrementalDecoder]:
    """`codecs.getincrementaldecoder`, for decoders that write U+FFFD for bad bytes."""
    return functools.partial(codecs.getincrementaldecoder(encoding), errors="replace")


def decode_leniently(driver_class: type[Driver]) -> None:
    """Make `driver_class` (and the drivers it derives from) replace undecodable input.

    Only a module that uses the standard library's factory is changed, so calling
    this twice, or for a driver that decodes nothing (headless), does nothing."""
    for cls in driver_class.__mro__:
        module = sys.modules.get(cls.__module__)
        if module is not None and vars(module).get(_FACTORY) is codecs.getincrementaldecoder:
            vars(module)[_FACTORY] = replacing_decoder


class PasteAsData(XTermParser):
    """Textual's parser, fed each ESC inside a bracketed paste shown as ␛: the only
    ESC it reads between the paste's start and end markers is the end marker's. Each
    paste it reads is then given its text as sent, ESC and all (less the NULs, which
    Textual drops from a paste).

    The terminal's input comes in reads of any size, so a start marker is looked for
    across the end of the last read, and the end of a read inside a paste that could
    be the start of the end marker is held back until the next one."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._in_paste = False
        self._tail = ""
        """Outside a paste, the last characters passed on (a start marker's first part)."""
        self._held = ""
        """Inside a paste, the end of the last read that may begin the end marker."""
        self._pasting: list[str] = []
        """The text of the paste being read, as sent."""
        self._pasted: deque[str] = deque()
        """The text of each paste read whole whose event the parser has yet to give."""

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # the end of input: what was held back goes first
            held, self._held = self._held, ""
            return [
                *(self._as_sent(super().feed(held)) if held else ()),
                *self._as_sent(super().feed("")),
            ]
        shown = self._shown(self._held + data)
        return self._as_sent(super().feed(shown)) if shown else ()

    def _as_sent(self, messages: Iterable[Message]) -> Iterator[Message]:
        """`messages`, each paste's text as the terminal sent it: one paste event for
        each end marker, in order."""
        for message in messages:
            if isinstance(message, events.Paste) and self._pasted:
                message.text = self._pasted.popleft().replace("\x00", "")
            yield message

    def _shown(self, text: str) -> str:
        self._held = ""
        out: list[str] = []
        at = 0
        while at < len(text):
            if not self._in_paste:
                window = self._tail + text[at:]
                found = window.find(_PASTE_START)
                if found < 0:
                    out.append(text[at:])
                    self._tail = window[-(len(_PASTE_START) - 1) :]
                    break
                end = at + found + len(_PASTE_START) - len(self._tail)
                out.append(text[at:end])
                at, self._in_paste, self._tail = end, True, ""
                continue
            esc = text.find(_ESC, at)
            if esc < 0:
                out.append(text[at:])
                self._pasting.append(text[at:])
                break
            out.append(text[at:esc])
            self._pasting.append(text[at:esc])
            rest = text[esc : esc + len(_PASTE_END)]
            if rest == _PASTE_END:
                out.append(_PASTE_END)
                at, self._in_paste = esc + len(_PASTE_END), False
                self._pasted.append("".join(self._pasting))
                self._pasting.clear()
            elif _PASTE_END.startswith(rest) and esc + len(rest) == len(text):
                self._held = rest
                break
            else:
                out.append(_ESC_SHOWN)
                self._pasting.append(_ESC)
                at = esc + 1
        return "".join(out)


def parse_pastes_whole(driver_class: type[Driver]) -> None:
    """Make `driver_class` (and the drivers it derives from) read input with
    `PasteAsData`; as `decode_leniently`, only a module using Textual's parser."""
    for cls in driver_class.__mro__:
        module = sys.modules.get(cls.__module__)
        if module is not None and vars(module).get(_PARSER) is XTermParser:
            vars(module)[_PARSER] = PasteAsData


def pasted_lines(text: str) -> str:
    """`text` as pasted, its line breaks as LF: CRLF, or the CR a terminal sends."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


PASTE_AS_SENT = "takes_paste_as_sent"
"""The class attribute of a field that holds a paste as sent and draws its pictures
(`DataInput`, `DataTextArea`): asked by name, so the first frame does not load
Textual's `TextArea` to ask `isinstance`."""


class InputAsData(App[None]):
    """An app whose terminal input survives bytes that are not UTF-8, and whose fields
    are pasted into as the terminal sent the paste, its line breaks as LF."""

    def get_driver_class(self) -> type[Driver]:
        driver_class = super().get_driver_class()
        decode_leniently(driver_class)
        parse_pastes_whole(driver_class)
        return driver_class

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Paste) and not event.is_forwarded:
            event.text = pasted_lines(event.text)
            if not getattr(self.focused, PASTE_AS_SENT, False):
                event.text = field_safe(event.text)
        await super().on_event(event)
