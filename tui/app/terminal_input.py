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
  friends; the fields drew them raw into the terminal, and the note recorded them.
  A paste is now shown as `visible_block` shows recorded text (ESC as ␛, a line
  break kept), before any field takes it, so the field shows what will be recorded.
  A terminal sends a pasted line break as a carriage return (tmux, xterm, VTE and
  Alacritty do), so in a paste a lone CR is a line break, not a `␍`.

`tests/tui/test_terminal_input.py` sends both through a real terminal, so a Textual
upgrade that decodes or pastes differently fails there rather than in an incident.
"""

from __future__ import annotations

import codecs
import functools
import sys
from collections.abc import Callable

from textual import events
from textual.app import App
from textual.driver import Driver

from incident.core.text import visible_block

_FACTORY = "getincrementaldecoder"


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


def pasted_lines(text: str) -> str:
    """`text` as pasted, its line breaks as LF: CRLF, or the CR a terminal sends."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


class InputAsData(App[None]):
    """An app whose terminal input survives bytes that are not UTF-8, and whose fields
    are pasted into with control characters shown."""

    def get_driver_class(self) -> type[Driver]:
        driver_class = super().get_driver_class()
        decode_leniently(driver_class)
        return driver_class

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Paste) and not event.is_forwarded:
            event.text = visible_block(pasted_lines(event.text))
        await super().on_event(event)
