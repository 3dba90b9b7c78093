"""Enter on a timeline row, in every screen that shows one: the entry, whole."""

from __future__ import annotations

from textual.screen import Screen

from tui.app.widgets.timeline import Timeline


class ReadsTimelineEntries(Screen[None]):
    """A screen with the incident's timeline; its rows are cut to the width, so Enter
    on one opens it in `EntryModal` (the coordinator's, replay's and attach's)."""

    AUTO_FOCUS = "#checklist"
    """The incident view's checklist takes the focus first, not the first widget that
    can take it (Textual's `*`): Production comes before it in the view, to be on top
    in one column (`IncidentView`), and took the focus, then gave it up to the
    checklist each screen focuses as it mounts: two more style passes before the
    first frame."""

    def on_timeline_read(self, message: Timeline.Read) -> None:
        message.stop()
        # Here, not at the top: the dialogs' package loads TextArea, Checkbox and Button,
        # 0.8 MiB the first frame does without (bench/startup.py, #12).
        from tui.app.modals.entry import EntryModal

        self.app.push_screen(EntryModal(message.at, message.actor, message.what))
