"""The TUI's side of "text is data": what people, runbooks and probes wrote is shown
as written, never parsed as markup and never passed raw to the terminal.

A note holding `[/bold]` once froze the live screen and left the incident unopenable,
because a `str` given to a Label, a DataTable cell or a toast is read as Textual
markup. Widgets therefore get `Text` objects built here (or `Text.append` with
`visible(...)`), and the apps' toasts go through `PlainToasts`.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.notifications import SeverityLevel

from incident.core.text import visible, visible_block


def plain(text: str, style: str = "") -> Text:
    """One line of data as a `Text`: no markup, control characters shown."""
    return Text(visible(text), style=style, no_wrap=True, overflow="ellipsis")


def plain_block(text: str, style: str = "") -> Text:
    """Multi-line data as a `Text`: lines kept, no markup, other controls shown."""
    return Text(visible_block(text), style=style)


class PlainToasts(App[None]):
    """An app whose toasts show their message as text: messages quote what people typed."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        super().notify(
            visible_block(message),
            title=visible(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )
