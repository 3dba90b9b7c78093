"""Enter on a timeline row, in every screen that shows one: the entry, whole."""

from __future__ import annotations

from textual.screen import Screen

from tui.app.modals.entry import EntryModal
from tui.app.widgets.timeline import Timeline


class ReadsTimelineEntries(Screen[None]):
    """A screen with the incident's timeline; its rows are cut to the width, so Enter
    on one opens it in `EntryModal` (the coordinator's, replay's and attach's)."""

    def on_timeline_read(self, message: Timeline.Read) -> None:
        message.stop()
        self.app.push_screen(EntryModal(message.at, message.actor, message.what))
