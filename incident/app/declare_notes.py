"""What `declare` says of the runbook it declares on, before anyone relies on it.

A Markdown runbook enforces none of the guide's rules, a YAML one departs from the
guide's frame (`runbooks.guide_frame`); the runbook reads variables
from the environment (which are secrets), sends one over plain `http://` to another
host, or puts `{next_update}` inside a sentence. `lastgood declare` printed these on
stderr after declaring; the TUI's declare form showed none of them (msgwords #3). Both
faces now read them here: the command line prints each after `lastgood declare: `, the
form shows them under the runbook's title, while the coordinator can still choose
another runbook.

The probes still at the bundled defaults, and the variables unset, are not here: the
command line says them beside these (`runbooks.unpointed`, `runbooks.unset`) and the
coordinator's screen as toasts once declared (`tui.app.screens.screen_polling`).
"""

from __future__ import annotations

from incident.core.text import visible
from runbooks.env_reads import in_clear_line, reads_line, secrets_line
from runbooks.model import Runbook
from runbooks.template_wording import next_update_warnings
from runbooks.unenforced import guide_notes


def runbook_notes(runbook: Runbook) -> list[str]:
    """Each note or warning on `runbook`, one line each, control characters made
    visible; empty for the bundled runbook as it ships."""
    notes = []
    notes += [f"note: {note}" for note in guide_notes(runbook)]  # where it leaves the guide
    if reads := reads_line(runbook):
        notes.append(f"the runbook {reads}")
    if secrets := secrets_line(runbook):
        notes.append(secrets)
    if clear := in_clear_line(runbook):
        notes.append(clear)
    notes += [str(warning) for warning in next_update_warnings(runbook)]
    return [visible(note) for note in notes]
