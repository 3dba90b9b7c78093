"""The help screen's content, built from the verb table so it can never drift."""

from __future__ import annotations

from collections.abc import Sequence

from tui.app.screens.verb_keys import MOVING_AROUND, PANEL_KEYS, help_rows

EXTRA_KEYS: tuple[tuple[str, str], ...] = (
    ("↑ ↓", "Move through the checklist"),
    PANEL_KEYS,
    ("ctrl+p", "Command palette"),
    ("? / F1", "This help"),
    ("q / ctrl+q", "Quit (ctrl+q from the help or the palette too)"),
)
"""The read-only views' moving-around keys (attach, replay): they have no verbs. The
phase keys are their screens' bindings, which help lists above these."""


def help_sections() -> list[tuple[str, Sequence[tuple[str, str]]]]:
    """The coordinator's verbs (key, or `palette`), then the keys that move around."""
    return [("Verbs", help_rows()), ("Moving around", MOVING_AROUND)]
