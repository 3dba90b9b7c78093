"""The gates' dialogs: the rollback decision (its triggers, then an explicit "initiate
rollback") and the database tiers (with the changes' evidence, asking first before a
tier that may lose data ahead of the decision).

Apart from the checklist's other verbs (`tui.app.screens.checking`) because each is a
dialog with its own flow; both record through the application layer
(`incident.app.steps`, `incident.app.verbs`), as the command line does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from incident.app.baseline_offer import baseline_prompts
from incident.app.next_key import trigger_not_polled
from incident.app.verbs import BY_NAME, run
from incident.core.errors import CommandError
from incident.core.gates import decider, decision_refusal, proposed_decider
from incident.core.state import tier_target
from incident.core.text import visible
from incident.health.triggers import read_triggers, standing
from incident.reports.trigger_view import approval_rule, met_before, trigger_rule
from runbooks.guide_frame import runbooks_own_trigger
from runbooks.model import DatabaseTier, Runbook, StepKind, Trigger, TriggerKind
from tui.app.screens.desk import Desk
from tui.app.screens.verb_keys import in_tui_words

if TYPE_CHECKING:
    from tui.app.modals.decision import DecisionForm, TriggerView
    from tui.app.modals.verb_form import Refusal
    from tui.app.screens.desk import Job


def trigger_views(desk: Desk) -> list[TriggerView]:
    """Each rollback trigger as the decision dialog shows it: its state, its evidence
    (or why its probe is not polled here), and how often it was met before."""
    from tui.app.modals.decision import TriggerView

    state = desk.state
    return [
        TriggerView(
            id=r.trigger.id,
            title=r.trigger.title,
            kind=str(r.trigger.kind),
            state=standing(r)[0],
            rule=_rule(state.runbook, r.trigger),
            rule_short=_rule(state.runbook, r.trigger, short=True),
            detail=_with_flaps(
                trigger_not_polled(state, r, desk.view.not_polled) or standing(r)[1],
                met_before(state, r.trigger.id),
            ),
        )
        for r in read_triggers(state)
    ]


def _rule(runbook: Runbook, trigger: Trigger, *, short: bool = False) -> str:
    """A trigger's rule for the gate (`trigger_rule`; `short`: `runbook's own` alone for
    one the guide does not name); for a manual one only that it is the runbook's own,
    its "(manual: space toggles)" saying the rest."""
    own = runbooks_own_trigger(trigger)
    if trigger.kind is TriggerKind.MANUAL and not own:
        return ""
    if short:
        return "runbook's own" if own else ""
    return trigger_rule(runbook, trigger)


def open_decision(desk: Desk) -> None:
    """The phase 1 decision gate: triggers, then an explicit 'initiate rollback'."""
    actor = desk.actor
    decided = decision_refusal(desk.state)
    if decided is not None:  # said now, not after the dialog was filled in
        desk.notify(decided[0].upper() + decided[1:], title="Not recorded", severity="warning")
        return

    async def toggle(trigger_id: str) -> Sequence[TriggerView]:
        state = desk.state
        trigger = next(t for t in state.runbook.triggers if t.id == trigger_id)
        if trigger.kind == TriggerKind.MANUAL:
            mark = state.triggers.get(trigger_id)
            values: dict[str, object] = {
                "trigger": trigger_id,
                "verdict": "cleared" if mark is not None and mark.met else "met",
            }
            verb = BY_NAME["trigger"]
            refusal = await desk.attempt(
                lambda s: run(verb, s, actor, values, db=desk.db), quiet=True
            )
            if refusal is not None:
                desk.notify(refusal.message, title="Not recorded", severity="error")
        return trigger_views(desk)

    from tui.app.screens.kept import HeldIntent

    held = HeldIntent(desk, "decide")  # kept on disk while the record refuses it

    async def decide(form: DecisionForm) -> Refusal | None:
        verb = BY_NAME["decide"]  # its parameters read the text as `lastgood decide`'s
        values = {
            name: verb.param(name).parse(getattr(form, name), desk.now) for name in ("reason", "by")
        }
        job = lambda s: run(verb, s, actor, values, db=desk.db)  # noqa: E731
        return await held.attempt(values, job, after=desk.advance)

    from tui.app.modals.decision import DecisionModal

    by, whose = proposed_decider(desk.state, actor)

    desk.screen.app.push_screen(
        DecisionModal(
            trigger_views(desk),
            toggle_manual=toggle,
            by=by,
            by_note=whose,
            left_empty=decider(desk.state, actor),
            decide=decide,
            notes=baseline_prompts(desk.state, how="ctrl+p Baseline"),
            rule_note=approval_rule(desk.state),
        ),
        held.closed,
    )


def open_tiers(desk: Desk) -> None:
    from incident.app import database_tiers  # the use cases load after the first frame

    state = desk.state
    runbook = state.runbook
    if not runbook.database_tiers:
        desk.notify("This runbook has no database tiers.")
        return
    settled = database_tiers.settled(state)
    if settled is not None:  # a choice now is refused: say who settled it, and the way on
        step = next(
            r.step for r in state.steps.values() if r.step.kind == StepKind.DATABASE and r.done
        )
        again = f"To choose again, reopen “{step.title}” (u on it)."
        desk.notify(visible(f"{settled}. {again}"), title="Database step done")
        return
    from tui.app.modals.database_tier import DatabaseTierModal, TierView

    views = [
        TierView(
            id=tier.id,
            title=tier.title,
            risk=tier.risk,
            data_loss=str(tier.data_loss),
            guidance=_with_command(tier),
            approver=tier.approver,
            approved_by=(
                state.approvals[tier_target(tier.id)].by
                if tier_target(tier.id) in state.approvals
                else None
            ),
        )
        for tier in runbook.database_tiers
    ]
    chosen = state.tier_choice.tier if state.tier_choice else None
    changes = state.changes
    step_id = desk.view.selected_step
    if step_id is not None and state.steps[step_id].step.kind != StepKind.DATABASE:
        step_id = None  # `b` elsewhere: the tier alone, the step left as it is

    def record(tier_id: str, reason: str) -> None:
        actor, step, verb = desk.actor, step_id, BY_NAME["db-tier"]
        values: dict[str, object] = {"tier": tier_id, "reason": reason}
        # Loaded here, not with the screen: the secrets' rules (incident.core.secrets and
        # the command output's) are 90 KiB the first frame does without (bench/startup.py, #12).
        from incident.app.typed_secrets import refuse_typed_secrets

        try:  # a reason holding a secret: nothing recorded, nothing kept
            refuse_typed_secrets(desk.state.runbook, verb, values, db=desk.db)
        except CommandError as refusal:
            said = in_tui_words(refusal)
            desk.notify(said, title="Not recorded", severity="error", timeout=10)
            return
        if step is None:
            job: Job = lambda s: run(verb, s, actor, values, db=desk.db)  # noqa: E731
        else:
            values["step"] = step
            job = lambda s: database_tiers.settle_database(  # noqa: E731
                s, actor, step, tier_id, reason=reason
            )
        after = None if step is None else desk.advance
        kept = desk.kept
        if kept is None:
            desk.record(job, verb, after=after)
            return
        # The dialog is closed: a choice the record refused is kept on disk and recorded
        # by this screen (or the next) once the record takes writes.
        from incident.app.kept import intent_of

        intent = intent_of(actor, "db-tier", values, desk.now(), desk.state, db=desk.db)
        desk.record(
            job,
            verb,
            after=after,
            unreachable=lambda: kept.keep_for_later(intent),
            unrecorded=lambda why: (
                f"{why}: the tier and its reason are kept, and recorded "
                "once the record takes writes"
            ),
        )

    def choose(result: tuple[str, str] | None) -> None:
        if not result:
            return
        tier_id, reason = result
        warning = database_tiers.tier_warning(desk.state, tier_id)
        if warning is None:
            record(tier_id, reason)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                record(tier_id, reason)

        from tui.app.modals.confirm import ConfirmModal

        desk.screen.app.push_screen(
            ConfirmModal("Data loss before the decision", warning, "Choose it"), confirmed
        )

    desk.screen.app.push_screen(
        DatabaseTierModal(
            views,
            chosen=chosen,
            evidence=changes.summary if changes is not None else "",
            suggested=changes.suggested_tier if changes is not None else None,
        ),
        choose,
    )


def _with_flaps(detail: str, before: str | None) -> str:
    """A trigger's evidence, and how often it was met before when it is not now."""
    if before is None:
        return detail
    return f"{detail}; {before}" if detail else before


def _with_command(tier: DatabaseTier) -> str:
    """The tier's guidance, and the command the database step runs once it is chosen:
    what the tier does, on screen where it is chosen (ux_review8 #9)."""
    if not tier.command:
        return tier.guidance
    runs = f"The database step then runs: {tier.command}"
    return f"{tier.guidance} {runs}" if tier.guidance else runs
