"""The post-mortem as the record holds it: close-out steps, root cause, actions, lessons.

Read from the folded state only; every piece of text people wrote is shown as
text, its control characters made visible. What was never recorded (contributing
factors, an action item's priority, type or ticket) is left out, not shown empty.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.widgets import Static

from incident.app.closeout import DONE_NOTE, HOW, Artefact, artefact_evidence, artefact_of
from incident.app.written import HEAD_SHOWN_CHARS
from incident.core.phase_clocks import resolved_at
from incident.core.state import IncidentState, StepStatus
from incident.core.text import visible, visible_block
from incident.reports.postmortem import LESSON_CATEGORIES, utc_text
from tui.app.hanging import Hanging, Row

MARKS = {
    StepStatus.DONE: "[x]",
    StepStatus.SKIPPED: "[-]",
    StepStatus.BLOCKED: "[!]",
    StepStatus.OPEN: "[ ]",
}


WHOLE_HEAD = re.compile(r"(, head )([0-9a-f]{64})$")
"""The head hash at the end of an exported report's evidence (`export_report`)."""


def shown_evidence(artefact: Artefact | None, evidence: str) -> str:
    """A step's evidence as the screen shows it: an exported report's head hash cut to
    the `HEAD_SHOWN_CHARS` its toast shows (the record keeps all 64). At 100 columns
    the whole hash wrapped onto a line of its own, flush left under the `[x]`."""
    if artefact is not Artefact.REPORT:
        return evidence
    return WHOLE_HEAD.sub(lambda m: m.group(1) + m.group(2)[:HEAD_SHOWN_CHARS], evidence)


def shown_lines(text: str, indent: str) -> str:
    """Text people typed in a multi-line box, on its own lines, each after the first
    indented as the first is: a two-line root cause showed its break as `␊`. Still
    plain text (appended to a `Text`, never markup), every other control shown."""
    return f"\n{indent}".join(visible_block(text).rstrip("\n").split("\n"))


def _close_out_steps(state: IncidentState) -> list[str]:
    """The steps of the last phase: the guide's close-out."""
    last = state.runbook.phases[-1].id
    return [r.step.id for r in state.phase_steps(last)]


def steps_text(state: IncidentState, text: Text) -> None:
    text.append("Close-out steps\n", style="bold")
    for step_id in _close_out_steps(state):
        record = state.steps[step_id]
        status = state.status_of(step_id)
        text.append(f" {MARKS[status]} {visible(record.step.title)}")
        artefact = artefact_of(state, step_id)
        if status is StepStatus.DONE:
            shown = shown_evidence(artefact, record.evidence) or record.note
            if shown:
                text.append(f": {visible(shown)}", style="dim")
        elif status is StepStatus.OPEN and artefact is not None:
            if artefact_evidence(state, artefact):
                text.append(f": {DONE_NOTE[artefact]}; check it on the checklist", style="italic")
            else:
                text.append(f": {HOW[artefact]}", style="italic")
        text.append("\n")


def findings_text(state: IncidentState, text: Text) -> None:
    document = state.document
    if document is not None:
        reviewers = ", ".join(document.reviewers) or "none yet"
        text.append("Report: ", style="bold")
        text.append(
            visible(f"{document.status}, owner {document.owner or 'none'}, reviewers {reviewers}")
        )
        text.append("\n")
    text.append("\nRoot cause", style="bold")
    if state.rca:
        latest = state.rca[-1]
        text.append(f" (by {visible(latest.by)})\n")
        text.append(f"  {shown_lines(latest.text, '  ')}\n")
    else:
        text.append("\n  none recorded yet\n", style="dim")
    if state.contributing_factors:
        text.append("Contributing factors\n", style="bold")
        for factor in state.contributing_factors:
            text.append(f"  - {shown_lines(factor.text, '    ')}\n")
    text.append(f"\nAction items ({len(state.action_items)})\n", style="bold")
    for item in state.action_items:
        mark = f"  {'[x]' if item.done else '[ ]'} {item.number}. "
        text.append(mark + shown_lines(item.text, " " * len(mark)))
        details = [f"owner {item.owner}" if item.owner else "no owner"]
        if item.due is not None:
            details.append(f"due {item.due.isoformat()}")
        details += [value for value in (item.priority, item.type, item.ticket) if value]
        text.append(f"  ({visible(', '.join(details))})\n", style="dim")
    text.append(f"\nLessons ({len(state.lessons)})\n", style="bold")
    for lesson in state.lessons:
        # A lesson recorded without a kind reads as itself (the report lists it under
        # "Other lessons"): "Unsorted" was the tool's word, not the team's.
        kind = LESSON_CATEGORIES.get(lesson.category)
        text.append(f"  - {kind}: " if kind else "  - ")
        text.append(f"{shown_lines(lesson.text, '    ')}\n")


def meeting_text(state: IncidentState, text: Text) -> None:
    text.append("\nPost-mortem meeting: ", style="bold")
    meeting = state.postmortem
    if meeting is None:
        resolved = resolved_at(state)
        if resolved is None:
            text.append("booked once resolved (the resolved message, or the close)\n")
        else:
            text.append(f"not booked (resolved {utc_text(resolved)})\n")
        return
    text.append(f"{utc_text(meeting.starts_at)}, {meeting.duration_min} min")
    if meeting.attendees:
        text.append(f", with {visible(', '.join(meeting.attendees))}")
    text.append("\n")


def postmortem_text(state: IncidentState) -> Text:
    text = Text()
    steps_text(state, text)
    findings_text(state, text)
    meeting_text(state, text)
    return text


def closing_text(state: IncidentState) -> Text:
    """Whether the incident can be closed now, and how."""
    if state.is_closed:
        return Text(
            "Closed. Root cause, action items, lessons and the meeting can still be recorded."
        )
    still = [state.steps[s].step.title for s in state.open_required_steps()]
    if still:
        names = ", ".join(still[:3]) + (f" and {len(still) - 3} more" if len(still) > 3 else "")
        return Text(f"Not ready to close: {visible(names)} still open.", style="bold")
    return Text(
        "Every required step is done: the incident can be closed. X closes it (asks first).",
        style="bold",
    )


LEAD = re.compile(r" *(?:\[[x !-]\] (?:\d+\. )?|- )?")
"""What an item's text hangs under: its indent and its mark (`[x] `, `[ ] 1. `, `- `)."""


def hanging(text: Text) -> Hanging:
    """`text` laid out as the checklist lays out its steps (`tui.app.hanging`): each
    line's wrapped rows under its first word after the `LEAD`, not at the box's edge
    under the marks, where a long item read as two at 100 columns (ux_review16 #13)."""
    rows = []
    for line in Content.from_rich_text(text).split("\n"):
        found = LEAD.match(line.plain)
        cut = found.end() if found else 0
        rows.append(Row(line[:cut], (line[cut:],), cell_len(line.plain[:cut])))
    if text.plain.endswith("\n"):  # the blank last line a `Text` draws, kept
        rows.append(Row(Content(""), (Content(""),)))
    return Hanging(rows, 0)


class PostmortemBody(Static):
    """The post-mortem, redrawn from the state when it changes."""

    DEFAULT_CSS = """
    PostmortemBody { padding: 0 1; }
    """

    def show(self, state: IncidentState) -> None:
        self.update(hanging(postmortem_text(state)))
