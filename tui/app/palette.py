"""What the command palette (ctrl+p) offers: Textual's own commands in lastgood's words,
then every verb of the coordinator by title and help, and the screens and cards that
have no verb (the post-mortem, the report's preview, a closed drill's score card, a
due message).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from incident.app.verbs import accepts
from tui.app.screens.report_files import preview_report
from tui.app.screens.verb_keys import TUI_VERBS

if TYPE_CHECKING:
    from tui.app.screens.incident import IncidentScreen

QUIT_HELP = "Leave lastgood: everything is already recorded, and start --incident reopens it"
"""The palette's Quit, in lastgood's words (Textual's: "as soon as possible")."""


def in_our_words(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's commands, but its Keys panel (a second help beside `?`, the one that
    lists lastgood's keys), and its Quit in lastgood's words: "as soon as possible"
    read oddly where everything is already recorded (a fresh user's review)."""
    for command in commands:
        if command.title == "Keys":
            continue
        if command.title == "Quit":
            command = SystemCommand("Quit", QUIT_HELP, command.callback)
        yield command


def incident_commands(incident: IncidentScreen) -> Iterator[SystemCommand]:
    """The coordinator's commands: each verb the incident accepts (as its key: none
    that changes its course once closed), then the screens and cards without a verb.
    The palette runs a command's callback once it has closed."""
    for verb in TUI_VERBS:
        if not accepts(incident.state, verb):
            continue
        yield SystemCommand(
            verb.title,
            verb.help,
            lambda name=verb.name: incident.start_verb(name, from_palette=True),
        )
    yield SystemCommand(
        "Post-mortem",
        "Root cause, action items, lessons, the meeting, the report; then close",
        incident.action_postmortem,
    )
    yield SystemCommand(
        "Preview report",
        "The incident report as e would write it, read-only, from the record as it is",
        lambda: preview_report(incident.desk),
    )
    if incident.state.drill and incident.state.is_closed:  # closed with Esc, it is back
        yield SystemCommand(
            "Score card",
            "The drill's score card again, as lastgood score prints it",
            incident.show_score,
        )
    if incident.check_action("due_message", ()):
        yield SystemCommand(
            "Send due",
            "Review the message the runbook made due",
            incident.action_due_message,
        )
