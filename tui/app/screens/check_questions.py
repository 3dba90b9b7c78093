"""The one question a check by the check key asks before it records, when the samples
do not back the step: why check it anyway (they contradict it), or what was seen (its
probe shows nothing yet). The answer is recorded through the check verb, whose use
case decides as for the command line; Esc records nothing. A refusal is said in the
dialog, which keeps the answer; when it is that someone else checked the step first
(another terminal, the command line), ctrl+s then keeps the answer as a note
(`incident.app.steps.keep_as_note`): it closed with a toast and the text was lost.

The two dialogs are alike in shape (a line, one field, OK), so each title leads with
what its answer is recorded as, the command line's `--override` or `--evidence`, then
the step: "Override: Check health", "Evidence: Confirm version".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal

from incident.app.verbs import BY_NAME, run
from incident.health.readings import unshown
from runbooks.model import ProbeKind
from tui.app.screens.desk import Desk


def ask_override(desk: Desk, step_id: str, detail: str) -> None:
    """The samples contradict the step: the reason to check it anyway, recorded as
    the step's override."""
    title = desk.state.steps[step_id].step.title

    from tui.app.modals.text_prompt import TextPrompt

    answered, closed = _checked_or_kept(desk, step_id, "override")
    desk.screen.app.push_screen(
        TextPrompt(
            f"Override: {title}",
            f"Evidence does not hold ({detail}). Reason to check it anyway? "
            "It is recorded as the step's override.",
            record=answered,
        ),
        closed,
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

    from tui.app.modals.text_prompt import TextPrompt

    answered, closed = _checked_or_kept(desk, step_id, "evidence")
    desk.screen.app.push_screen(
        TextPrompt(
            f"Evidence: {record.step.title}",
            f"{why[:1].upper()}{why[1:]}. What did you see that shows '{record.step.title}' "
            "is done? It is recorded as the step's evidence.",
            placeholder=example,
            record=answered,
        ),
        closed,
    )


def ask_seen(desk: Desk, step_id: str) -> None:
    """A verification step no probe backs (the smoke test): what was tested and seen is
    its evidence, asked for as `lastgood check --evidence` is. `space` ticked it with
    no question asked, before the rollback had even run (ux_review7 F3, ux_review8 #7)."""
    title = desk.state.steps[step_id].step.title

    from tui.app.modals.text_prompt import TextPrompt

    answered, closed = _checked_or_kept(desk, step_id, "evidence")
    desk.screen.app.push_screen(
        TextPrompt(
            f"Evidence: {title}",
            f"A tick is not evidence: no probe backs '{title}'. What did you test, and "
            "what did you see? It is recorded as the step's evidence.",
            placeholder="e.g. logged in and checked out a test order",
            record=answered,
        ),
        closed,
    )


def ask_done(desk: Desk, step_id: str) -> None:
    """The application rollback's `check` step ("Switch the load balancer back"): what
    was done is its evidence, asked for as `lastgood check --evidence` is. `space`
    ticked it bare, and the report said "★ Application rolled back" (ux_review15 #6)."""
    title = desk.state.steps[step_id].step.title

    from tui.app.modals.text_prompt import TextPrompt

    answered, closed = _checked_or_kept(desk, step_id, "evidence")
    desk.screen.app.push_screen(
        TextPrompt(
            f"Evidence: {title}",
            f"A tick is not evidence: what was done for '{title}', where and by whom? "
            "It is recorded as the step's evidence.",
            placeholder="e.g. load balancer switched to blue at 09:14 (pipeline #4411)",
            record=answered,
        ),
        closed,
    )


def _checked_or_kept(
    desk: Desk, step_id: str, field: Literal["evidence", "override"]
) -> tuple[Callable[[str], Awaitable[str | None]], Callable[[object], None]]:
    """Records the prompt's answer as the check's `field`; None once recorded, else why
    not. Refused because the step is done now (checked first elsewhere), the next
    submission records the answer as a note instead. With it, what the dialog's
    closing does: the answer kept on disk while the record refused it is forgotten."""
    actor = desk.actor
    offered = False
    from tui.app.screens.kept import HeldIntent

    held = HeldIntent(desk, "check")  # kept on disk while the record refuses it

    async def record(answer: str) -> str | None:
        nonlocal offered
        if offered:
            from incident.app.steps import keep_as_note

            kept = await desk.attempt(lambda s: keep_as_note(s, actor, step_id, **{field: answer}))
            return kept.message if kept is not None else None
        values: dict[str, object] = {"step": step_id, field: answer}
        check = BY_NAME["check"]
        job = lambda s: run(check, s, actor, values, db=desk.db)  # noqa: E731
        refusal = await held.attempt(values, job, after=desk.advance)
        if refusal is None:
            return None
        if not desk.state.steps[step_id].done:
            return refusal.message
        offered = True
        return f"{refusal.message}. ctrl+s records what you typed as a note; Esc drops it."

    return record, held.closed
