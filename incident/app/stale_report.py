"""The report "Document the incident" points at, out of date by the close.

Exporting the report checks that step with where the file is (`closeout.report_place`).
The step comes before the root cause, the booking and the close, so the file it names
said "still open", "not booked yet" and "Root cause: not recorded yet" once the
incident was closed, and nothing said so (ux_review11 #8). At the close each face now
says which file is behind the record and how to write it again: one rule, here.

Said as the close is recorded, the file is older than the record's last change, the
close. What else it leaves out depends on when it was last written: on this machine the
file's own time says (an export that checked nothing left no trace in the record); on
another, the record's time of the check.
"""

from __future__ import annotations

import os
import re
import socket
from datetime import UTC, datetime

from msgspec import Struct

from incident.app.closeout import Artefact, step_for
from incident.core.state import IncidentState


class StaleReport(Struct, frozen=True):
    """A report file the record names, written before what it leaves out."""

    path: str
    """The absolute path the step's evidence records."""
    host: str
    """The machine it was written on, as recorded ("" when the evidence names none)."""
    here: bool
    """Written on this machine (so `lastgood export -o PATH` here writes it again)."""
    predates: tuple[str, ...]
    """What the record holds that the file does not: "the root cause", "the post-mortem
    booking", "the close"."""

    def said(self, how: str) -> str:
        """One line for a face, ending with `how` to write it again."""
        place = self.path if self.here or not self.host else f"{self.path} on {self.host}"
        return f"the report at {place} predates {joined(self.predates)}: {how}"


def joined(parts: tuple[str, ...]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def report_file(evidence: str) -> tuple[str, str] | None:
    """The path and machine in an export's evidence (`report PATH on HOST, head HASH`),
    or None for evidence of another kind (a check by hand, an older record)."""
    if not evidence.startswith("report ") or ", head " not in evidence:
        return None
    place = evidence.removeprefix("report ").rpartition(", head ")[0]
    path, on, host = place.rpartition(" on ")
    if not on:
        path, host = place, ""
    if not os.path.isabs(path):
        return None
    return path, host


def recorded_file(state: IncidentState) -> tuple[str, str] | None:
    """The path and machine of the report that checked "Document the incident", if one did."""
    step_id = step_for(state, Artefact.REPORT)
    if step_id is None or not state.steps[step_id].done:
        return None
    return report_file(state.steps[step_id].evidence)


def on_this_host(host: str, this_host: str | None = None) -> bool:
    return not host or host == (socket.gethostname() if this_host is None else this_host)


def report_place_here(state: IncidentState) -> str | None:
    """The path of the report that checked "Document the incident" if it was written on
    this machine: where writing it again goes."""
    found = recorded_file(state)
    return found[0] if found is not None and on_this_host(found[1]) else None


def offered_path(state: IncidentState, actor: str) -> str:
    """Where the TUI's Export report offers to write the report for `actor`: the file
    that checked "Document the incident" when `actor` checked it with that file, here
    (writing it again brings it up to date: the close says so); else `./ID-report.md`,
    the reader's own. It offered the file someone else recorded as evidence, which
    Enter overwrote (ux_review16 #11); a name that is that file gets the reader's name."""
    own = f"./{state.id}-report.md"
    recorded = report_place_here(state)
    step_id = step_for(state, Artefact.REPORT)
    if recorded is None or step_id is None:
        return own
    if state.steps[step_id].by == actor:
        return recorded
    if os.path.abspath(own) != recorded:
        return own
    name = re.sub(r"[^\w.-]+", "-", actor).strip("-.") or "mine"
    return f"./{state.id}-report-{name}.md"


def stale_report(state: IncidentState, *, this_host: str | None = None) -> StaleReport | None:
    """At the close, the report file that checked "Document the incident": written
    before the close (the faces ask as it is recorded), and before the root cause and the
    booking when they were recorded after the file was last written (its time here, the
    check's elsewhere: a file edited by hand since counts as written then).

    None before the close, when no report checked the step (checked by hand, skipped,
    still open), or when the file here is gone (nothing left to mislead).
    """
    step_id = step_for(state, Artefact.REPORT)
    found = recorded_file(state)
    if step_id is None or found is None or state.closed_at is None:
        return None
    written = state.steps[step_id].at
    if written is None:
        return None
    path, host = found
    here = on_this_host(host, this_host)
    if here:
        try:
            written = datetime.fromtimestamp(os.stat(path).st_mtime, UTC)
        except OSError:
            return None
    later = tuple(
        what
        for what, at in (
            ("the root cause", state.rca[-1].at if state.rca else None),
            ("the post-mortem booking", state.postmortem.at if state.postmortem else None),
        )
        if at is not None and at > written
    )
    return StaleReport(path, host, here, (*later, "the close"))
