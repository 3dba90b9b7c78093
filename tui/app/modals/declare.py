"""Declare a rollback incident.

Why it exists: the clock starts when the incident is declared, so declaring must
take seconds. One compact form collects what the guide asks for up front --
title, severity, commander, issue, ETA, deployment pattern, the bad and the
last-good versions, the channel -- with only title, severity and commander
required. Everything else can be filled in later.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select

from incident.core.text import visible
from tui.app.modals.base import (
    FormModal,
    button_row,
    cancel_button,
    error_line,
    field,
    hint_line,
    submit_button,
    text_input,
    title_line,
)

if TYPE_CHECKING:
    from incident.app.lifecycle import Declaration

SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
"""Severity levels offered, most severe first."""

DEFAULT_SEVERITY = "SEV2"
"""Severity preselected in the form."""


@dataclass(frozen=True)
class DeclareForm:
    """What the coordinator entered to declare an incident (all text stripped)."""

    title: str
    """Short incident title."""
    severity: str
    """One of :data:`SEVERITIES`."""
    commander: str
    """Incident commander's name."""
    issue: str
    """What is wrong, as it will read in messages ("" if not given)."""
    eta_min: int | None
    """Estimated minutes to recovery, or ``None``."""
    pattern: str | None
    """Deployment pattern id, or ``None``."""
    from_version: str
    """The bad version being rolled back ("" if not given)."""
    last_good_version: str
    """The version being rolled back to ("" if not given)."""
    channel: str
    """Incident channel ("" if not given)."""

    def declaration(self) -> Declaration:
        """The declaration these fields make, as the command line's `declare` takes it."""
        from incident.app.lifecycle import Declaration  # the commands, when declaring

        return Declaration(
            title=self.title,
            severity=self.severity,
            commander=self.commander,
            issue=self.issue,
            eta_min=self.eta_min,
            pattern=self.pattern,
            channel=self.channel,
            from_version=self.from_version,
            last_good_version=self.last_good_version,
        )


def parse_eta(text: str) -> int | None:
    """Minutes from the ETA field: ``None`` when empty; ``ValueError`` unless an integer >= 0."""
    text = text.strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise ValueError(text)
    return int(text)


class DeclareModal(FormModal[DeclareForm | None]):
    """The declaration form; dismiss with a :class:`DeclareForm`, or ``None`` on Escape."""

    DEFAULT_CSS = """
    DeclareModal .runbook {
        width: 100%;
        color: $text-muted;
    }
    DeclareModal #form {
        height: auto;
        max-height: 14;
    }
    DeclareModal #grid {
        grid-size: 2;
        grid-columns: 1fr 1fr;
        grid-rows: 2;
        grid-gutter: 0 2;
        height: auto;
        margin-top: 1;
    }
    DeclareModal .wide {
        column-span: 2;
    }
    """

    def __init__(
        self,
        *,
        runbook_title: str,
        patterns: Sequence[str],
        default_pattern: str | None,
        commander: str = "",
        record: Callable[[DeclareForm], Awaitable[str | None]] | None = None,
    ) -> None:
        super().__init__()
        self.record = record
        """Records the declaration and answers None, or why it was refused (the form
        stays open with that line and everything typed); None: dismiss at once."""
        self.runbook_title = runbook_title
        """Title of the runbook the incident will follow."""
        self.patterns = list(patterns)
        """Deployment patterns the runbook knows."""
        self.default_pattern = default_pattern if default_pattern in self.patterns else None
        """Pattern preselected in the form."""
        self.commander = commander
        """Prefill of the Commander field."""

    def compose(self) -> ComposeResult:
        severity: Select[str] = Select(
            [(s, s) for s in SEVERITIES],
            allow_blank=False,
            value=DEFAULT_SEVERITY,
            id="severity",
            compact=True,
        )
        pattern: Select[str] = Select(
            [(Text(p), p) for p in self.patterns],
            prompt="(none)",
            value=self.default_pattern if self.default_pattern is not None else Select.NULL,
            id="pattern",
            compact=True,
        )
        with Vertical(classes="dialog"):
            yield title_line("Declare incident")
            yield Label(visible(f"Runbook: {self.runbook_title}"), classes="runbook", markup=False)
            with VerticalScroll(id="form", can_focus=False), Grid(id="grid"):
                yield field(
                    "Title",
                    text_input(id="title", placeholder="what is broken, in a few words"),
                    required=True,
                ).add_class("wide")
                yield field("Severity", severity, required=True)
                yield field("Commander", text_input(self.commander, id="commander"), required=True)
                yield field(
                    "Issue", text_input(id="issue", placeholder="for messages: 'due to …'")
                ).add_class("wide")
                yield field("ETA minutes", text_input(id="eta", placeholder="e.g. 20"))
                yield field("Pattern", pattern)
                yield field("From version", text_input(id="from_version", placeholder="bad"))
                yield field(
                    "Last-good version", text_input(id="last_good_version", placeholder="target")
                )
                yield field("Channel", text_input(id="channel", placeholder="#incident"))
            yield error_line()
            yield button_row(submit_button("Declare", variant="error"), cancel_button())
            yield hint_line("Tab/Enter next · ctrl+s declare · Esc back")

    def _value(self, input_id: str) -> str:
        return self.query_one(f"#{input_id}", Input).value.strip()

    def action_submit(self) -> None:
        if self.is_dismissed or self._recording:
            return  # a second Enter queued before the form closed, or while it records
        missing = [name for name in ("title", "commander") if not self._value(name)]
        if missing:
            names = " and ".join(name.capitalize() for name in missing)
            verb = "is" if len(missing) == 1 else "are"
            self.show_error(f"{names} {verb} required.", focus=self.query_one(f"#{missing[0]}"))
            return
        try:
            eta = parse_eta(self._value("eta"))
        except ValueError:
            self.show_error(
                "ETA must be whole minutes (0 or more), or empty.", focus=self.query_one("#eta")
            )
            return
        severity: Select[str] = self.query_one("#severity", Select)
        pattern: Select[str] = self.query_one("#pattern", Select)
        form = DeclareForm(
            title=self._value("title"),
            severity=str(severity.value),
            commander=self._value("commander"),
            issue=self._value("issue"),
            eta_min=eta,
            pattern=None if pattern.is_blank() else str(pattern.value),
            from_version=self._value("from_version"),
            last_good_version=self._value("last_good_version"),
            channel=self._value("channel"),
        )
        if self.record is None:
            self.dismiss(form)
        else:
            self.dismiss_once_recorded(self.record(form), form, self.show_error)
