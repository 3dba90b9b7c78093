"""The Export report form: the generic verb form, its format following the file's name.

Its help promised the report (Markdown), the whole record (JSON) or the post-mortem
invitation (ics), and it wrote Markdown whatever the file was called (ux_review16 #11).
The format is a choice now, and the two fields follow each other: a name typed
ending in `.json` or `.ics` chooses that format, and a format chosen renames a file
named for another (`incident.app.exports.with_format`). The use case refuses a name
for another format than the one chosen, in the form's error line. Checking "Document
the incident" is the Markdown report's: its box is cleared and disabled for the others.
"""

from __future__ import annotations

from textual import on
from textual.widgets import Checkbox, Input, Select

from incident.app.exports import MARKDOWN, named_format, with_format
from tui.app.modals.verb_form import VerbForm

OUTPUT = "#param-output"
FORMAT = "#param-format"
CHECK_STEP = "#param-check_step"


class ExportForm(VerbForm):
    """`VerbForm` with an `output`, a `format` and perhaps a `check_step` field, kept
    in agreement as they are edited."""

    _ticked_before: bool | None = None
    """The box as it was when a format other than Markdown cleared it (restored after)."""
    _named: str | None = None
    """The format the file's name said when last looked at: a name that comes to say
    another chooses it; an edit that leaves it saying the same leaves the choice be."""

    def on_mount(self) -> None:
        super().on_mount()
        self._named = named_format(self.initial.get("output", "").strip())

    @on(Input.Changed, OUTPUT)
    def _name_typed(self, event: Input.Changed) -> None:
        # What the field holds now, not the event's value: one posted before the last
        # rename, read after it, chose the format the file was named for before.
        named = named_format(event.input.value.strip())
        if named == self._named:
            return
        self._named = named
        choosers = self.query(FORMAT)  # none when the report alone is asked for
        if named is not None and choosers and (chooser := choosers.first(Select)).value != named:
            chooser.value = named

    @on(Select.Changed, FORMAT)
    def _format_chosen(self, event: Select.Changed) -> None:
        chosen = event.select.value  # now, as above
        if chosen is Select.BLANK:
            return
        fmt = str(chosen)
        output = self.query_one(OUTPUT, Input)
        renamed = with_format(output.value.strip(), fmt)
        if renamed != output.value.strip():
            self._named = named_format(renamed)
            output.value = renamed
        boxes = self.query(CHECK_STEP)
        if not boxes:
            return
        box = boxes.first(Checkbox)
        if fmt == MARKDOWN:
            if self._ticked_before is not None:
                box.value, self._ticked_before = self._ticked_before, None
            box.disabled = False
        elif not box.disabled:
            self._ticked_before, box.value = box.value, False
            box.disabled = True
