"""Screens styled once when they are shown, not a second time on their first resume.

Textual restyles a whole screen each time it resumes, for whatever changed while
another screen was on top. A screen's first resume is its push, moments after every
widget took its styles as it mounted, so that restyle only repeats them: on the
coordinator's screen, 34 of the 85 style passes before its first frame; on a dialog,
its every field again in the frame its key waits for (opening the note dialog:
50 style passes, then 36). Later resumes are left as Textual sends them.
"""

from __future__ import annotations

from textual import events


class StyledOnce:
    """Put before `Screen` or `ModalScreen` in a screen's bases."""

    _resumed_before = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._resumed_before:
            self._resumed_before = True
            event.refresh_styles = False
