"""What the highlighted step asks for, in the runbook's words, and what was recorded."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from incident.core.phase_clocks import format_offset
from incident.core.state import IncidentState, StepStatus
from incident.core.text import visible, visible_block

KIND_HINTS: dict[str, str] = {
    "check": "Do it, then check it (space).",
    "approval": "A gate: record the approval (a), then check it.",
    "communication": "Compose and send the message (c); sending checks it.",
    "verification": "Confirm the evidence, then check it with a note.",
    "command": "Runs a shell command on confirmation (CLI: lastgood run).",
    "database": "Choose a database tier (b) with a reason, then check it.",
}


class Guidance(VerticalScroll):
    """The selected step's guidance, owner, gate and record."""

    DEFAULT_CSS = """
    Guidance {
        height: 1fr;
        border: round $primary-muted;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    Guidance > Static { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="guidance-text")

    def show(self, state: IncidentState, step_id: str | None, now: datetime) -> None:
        body = self.query_one("#guidance-text", Static)
        if step_id is None or step_id not in state.steps:
            body.update("No step selected.")
            return
        record = state.steps[step_id]
        step = record.step
        status = state.status_of(step_id)
        text = Text()
        text.append(visible(step.title), style="bold")
        text.append(f"\n{step.kind}")
        text.append(" · required" if step.required else " · optional")
        if step.owner:
            text.append(f" · owner {visible(step.owner)}")
        text.append("\n")
        if status == StepStatus.BLOCKED:
            text.append(f"BLOCKED: {visible(state.blocker(step_id) or '')}\n", style="bold")
        if (
            status in (StepStatus.DONE, StepStatus.SKIPPED)
            and record.at is not None
            and record.by is not None
        ):
            verb = "Done" if status == StepStatus.DONE else "Skipped"
            text.append(
                f"{verb} by {visible(record.by)} at {format_offset(record.at - state.started_at)}",
                style="bold",
            )
            detail = record.note or record.reason or record.evidence
            text.append(f": {visible(detail)}\n" if detail else "\n")
        text.append("\n")
        text.append(visible_block(step.guidance or "(no guidance in the runbook)"))
        hint = KIND_HINTS.get(str(step.kind))
        if hint and status not in (StepStatus.DONE, StepStatus.SKIPPED):
            text.append(f"\n\n{hint}", style="italic")
        body.update(text)
