"""Bytes from the terminal that are not UTF-8 arrive as U+FFFD instead of ending the app.

Textual's terminal drivers decode what the terminal sends with a strict UTF-8
decoder on their input thread. One byte that is not UTF-8 (a paste from a terminal
in a Latin-1 locale) raised there: the thread died, the app panicked into a
traceback with exit 0, and the text typed into an open dialog was gone
(Textualize/textual#6456, still open at the pinned release). Each driver module
looks `getincrementaldecoder` up as a global when its input thread starts, so the
apps hand the driver they run one whose decoders replace what they cannot decode.
`tests/tui/test_undecodable_input.py` pastes such a byte into a real terminal, so a
Textual upgrade that decodes differently fails there rather than in an incident.
"""

from __future__ import annotations

import codecs
import functools
import sys
from collections.abc import Callable

from textual.app import App
from textual.driver import Driver

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


class LenientInput(App[None]):
    """An app whose terminal input survives bytes that are not UTF-8."""

    def get_driver_class(self) -> type[Driver]:
        driver_class = super().get_driver_class()
        decode_leniently(driver_class)
        return driver_class
