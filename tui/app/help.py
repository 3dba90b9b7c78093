"""The help screen's content, built from the bindings so it can never drift."""

from __future__ import annotations

from collections.abc import Sequence

from textual.binding import Binding

from tui.app.screens.incident import IncidentScreen

EXTRA_KEYS: tuple[tuple[str, str], ...] = (
    ("↑ ↓", "Move through the checklist"),
    ("tab", "Move between checklist and timeline"),
    ("← → [ ]", "Show the previous / next phase"),
    ("ctrl+p", "Command palette: every action by name"),
    ("?", "This help"),
    ("q", "Quit (everything is already recorded)"),
)


def help_sections() -> list[tuple[str, Sequence[tuple[str, str]]]]:
    incident = [
        (binding.key_display or binding.key, binding.description)
        for binding in IncidentScreen.BINDINGS
        if isinstance(binding, Binding) and not binding.action.startswith("phase")
    ]
    return [("Incident", incident), ("Moving around", EXTRA_KEYS)]
