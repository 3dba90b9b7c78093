"""Enter on a timeline row, in every screen that shows one: the entry, whole."""

from __future__ import annotations

from textual.screen import Screen

from tui.app.widgets.timeline import Timeline


class ReadsTimelineEntries(Screen[None]):
    """A screen with the incident's timeline; its rows are cut to the width, so Enter
    on one opens it in `EntryModal` (the coordinator's, replay's and attach's)."""

    def on_timeline_read(self, message: Timeline.Read) -> None:
        message.stop()
        # Here, not at the top: the dialogs' package loads TextArea, Checkbox and Button,
        # 0.8 MiB the first frame does without (bench/startup.py, #12).
        from tui.app.modals.entry import EntryModal

        self.app.push_screen(EntryModal(message.at, message.actor, message.what))
