"""What the read-only apps (attach, replay) share: styles, quit and help."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding

from tui.app.colour_depth import ColourDepth
from tui.app.help import EXTRA_KEYS
from tui.app.key_characters import NamedKeys
from tui.app.plain import SCREEN_HEIGHTS, SCREEN_WIDTHS, PlainToasts
from tui.app.refusal import Refusing
from tui.app.terminal_input import InputAsData
from tui.app.type_ahead import TypeAhead


class ReadOnlyApp(ColourDepth, NamedKeys, TypeAhead, PlainToasts, Refusing, InputAsData):
    """An app that shows a record and can never write to it.

    Keys typed ahead wait for the field they were meant for, as in the coordinator's
    app (`tui/app/type_ahead.py`): replay's Go to typed with its Enter in one burst
    said "An answer is required", the Enter taken before the field had the moment."""

    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = SCREEN_WIDTHS
    VERTICAL_BREAKPOINTS = SCREEN_HEIGHTS
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]
    HELP_TITLE = "Keys"
    SCREEN_BINDINGS: list[Binding] = []
    """The main screen's bindings, listed by the help screen."""

    def action_help(self) -> None:
        from tui.app.modals.help import HelpModal

        keys = [(self.keys_shown(b), b.description) for b in self.SCREEN_BINDINGS]
        self.push_screen(HelpModal([(self.HELP_TITLE, keys), ("Moving around", EXTRA_KEYS)]))

    def keys_shown(self, binding: Binding) -> str:
        """A binding's keys as help shows them: `← [`, not `left,left_square_bracket`."""
        if binding.key_display:
            return binding.key_display
        keys = (key.strip() for key in binding.key.split(","))
        return " ".join(self.get_key_display(replace(binding, key=key)) for key in keys)
