"""Asking `lastgood init`'s questions at a terminal, each answer checked as it is typed.

A refused answer is asked again with the reason; the prompt shows the default Enter
takes, not what was typed, so where the line editor keeps what was typed (readline's
history: `input` adds each line it reads) the question asked again says that `↑`
brings it back to mend (ux_review11 #13).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from incident.core.text import visible
from tui.cli.errors import CliError

Ask = Callable[[str], str]
"""Asks one question (its prompt) and gives the line typed; EOFError at end of input."""
Check = Callable[[str], str | None]
Offer = Callable[[str], str | None]
"""A refused answer mended (`localhost:8080/x` -> `http://localhost:8080/x`), or None."""


class Aborted(CliError):
    """End of input at a question: nothing is written."""

    def __init__(self) -> None:
        super().__init__("aborted at end of input; nothing written", exit_code=1)


def asked(
    ask: Ask, question: str, default: str | None, check: Check, offer: Offer | None = None
) -> str:
    """The answer to `question` once `check` finds nothing wrong with it, each
    problem said on stderr before asking again; Enter takes `default`. Asked again
    after an answer typed and refused, the prompt says `↑` recalls it when it does, or,
    where `offer` mends the answer (a URL without its `http://`), that `↑` gives that."""
    prompt = f"{question} [{default}]" if default else question
    again = ""
    while True:
        try:
            typed = ask(f"{prompt}{again}: ").strip()
        except EOFError:
            print(file=sys.stderr)  # the prompt's line, ended
            raise Aborted() from None
        except KeyboardInterrupt:
            print(file=sys.stderr)
            raise
        answer = typed or default or ""
        if (problem := check(answer)) is None:
            return answer
        print(visible(problem), file=sys.stderr)
        mended = offer(answer) if offer is not None and typed else None
        if mended is not None and check(mended) is not None:
            mended = None  # mended, and still refused: offer nothing
        if isinstance(ask, TerminalAsk) and mended is not None and ask.offers(mended):
            again = f" ({up_arrow()} gives {visible(mended)})"
            continue
        recalled = isinstance(ask, TerminalAsk) and bool(typed) and ask.recalls(typed)
        again = f" ({up_arrow()} recalls what you typed)" if recalled else ""


class TerminalAsk:
    """`input` on the terminal stderr is, with line editing.

    `input` edits a line (readline) only where stdin and stdout are both terminals
    and stdout is a plain text stream, and draws its prompt on stdout. While a
    question waits, stdout is stderr's terminal and the stream beneath the one that
    shows control characters (`tui.cli.shown_stream`; the prompt is lastgood's own
    text), so `lastgood init > out.txt` asks on the screen, editing included, and
    out.txt gets only what init reports.
    """

    def __init__(self) -> None:
        import readline  # line editing for `input`; loaded only to ask

        self._readline = readline

    def __call__(self, prompt: str) -> str:
        shown = sys.stdout
        shown.flush()
        saved = os.dup(1)
        try:
            os.dup2(2, 1)
            sys.stdout = getattr(shown, "wrapped", shown)
            return input(visible(prompt))
        finally:
            sys.stdout = shown
            os.dup2(saved, 1)
            os.close(saved)

    def offers(self, mended: str) -> bool:
        """Put `mended` where the up arrow brings it back: the history's last line."""
        self._readline.add_history(mended)
        return self.recalls(mended)

    def recalls(self, typed: str) -> bool:
        """Whether the up arrow brings `typed` back: the last line in the history."""
        length = self._readline.get_current_history_length()
        last = self._readline.get_history_item(length) if length > 0 else None
        return last is not None and last.strip() == typed


def up_arrow() -> str:
    """`↑`, or `Up` where the terminal's encoding has no arrow (`LC_ALL=C`)."""
    try:
        "↑".encode(sys.stderr.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return "Up"
    return "↑"


def terminal_ask() -> TerminalAsk:
    """Asks at the terminal (`TerminalAsk`)."""
    return TerminalAsk()
