"""The one question a check by the check key asks before it records, when the samples
do not back the step: why check it anyway (they contradict it), or what was seen (its
probe shows nothing yet). The answer is recorded through the check verb, whose use
case decides as for the command line; Esc records nothing.

The two dialogs are alike in shape (a line, one field, OK), so each title leads with
what its answer is recorded as, the command line's `--override` or `--evidence`, then
the step: "Override: Check health", "Evidence: Confirm version".
"""

from __future__ import annotations

from incident.health.readings import unshown
from runbooks.model import ProbeKind
from tui.app.screens.desk import Desk


def ask_override(desk: Desk, step_id: str, detail: str) -> None:
    """The samples contradict the step: the reason to check it anyway, recorded as
    the step's override."""
    title = desk.state.steps[step_id].step.title

    def override(reason: str | None) -> None:
        if reason:
            values: dict[str, object] = {"step": step_id, "override": reason}
            desk.run_verb("check", values, after=desk.advance)

    from tui.app.modals.text_prompt import TextPrompt

    desk.screen.app.push_screen(
        TextPrompt(
            f"Override: {title}",
            f"Evidence does not hold ({detail}). Reason to check it anyway? "
            "It is recorded as the step's override.",
        ),
        override,
    )


def ask_evidence(desk: Desk, step_id: str, detail: str) -> None:
    """The probe shows nothing yet: a tick is not evidence, what was seen is, recorded
    as the step's evidence. The question names the probe as the command line's refusal
    does (`unshown`) and the step by its title: "What shows it?" under "3 of 5 samples
    so far" named neither. The palette's Check takes an override reason instead."""
    record = desk.state.steps[step_id]
    probe = record.step.probe or ""
    why = unshown(desk.state, probe, detail)
    runbook_probe = desk.state.runbook.probe(probe)
    example = (
        "e.g. kubectl shows every pod on the last good version"
        if runbook_probe is not None and runbook_probe.kind == ProbeKind.VERSION
        else "e.g. the dashboard shows errors back at their usual level"
    )

    def evidence(seen: str | None) -> None:
        if seen:
            values: dict[str, object] = {"step": step_id, "evidence": seen}
            desk.run_verb("check", values, after=desk.advance)

    from tui.app.modals.text_prompt import TextPrompt

    desk.screen.app.push_screen(
        TextPrompt(
            f"Evidence: {record.step.title}",
            f"{why[:1].upper()}{why[1:]}. What did you see that shows '{record.step.title}' "
            "is done? It is recorded as the step's evidence.",
            placeholder=example,
        ),
        evidence,
    )
