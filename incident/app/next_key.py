"""The one key that moves a step forward, as the guidance panel names it.

Under pressure the coordinator reads one line and presses one key. Two ways into
the same thing, with no signpost between them, cost keys: the decision gate said
`a` (a bare approval form) while the footer and the README said `d` (the decision
screen, which shows each trigger's state). So the rule lives here, once: a face
names the key this returns, and its handler for that key opens what `what` says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from msgspec import Struct

from incident.app import channel_step, closeout, message_steps
from incident.app.assessment import assess_step
from incident.app.verbs import BY_NAME
from incident.comms.due import awaiting_confirmation
from incident.comms.notifications import unpaged
from incident.comms.status_page import page_pending
from incident.core.gates import decision_gate
from incident.core.phase_clocks import t_plus
from incident.core.state import IncidentState, StepStatus, tier_target
from incident.core.text import counted
from incident.health.readings import NO_BASELINE, evidence_for, probe_verdicts
from incident.health.stability import REASSESS, Unstable, resolution_held
from incident.health.triggers import TriggerReading, TriggerState, read_triggers
from runbooks.model import DataLoss, ProbeKind, StepKind, TriggerKind

if TYPE_CHECKING:
    from incident.app.unrecorded_run import UnrecordedRun


def _key_of(verb: str) -> str:
    """A verb's first key in the verb table, so the hint and the binding agree."""
    key = BY_NAME[verb].key
    assert key, f"the {verb} verb has no key"
    return key.split(",")[0]


DECIDE_KEY = _key_of("decide")
"""Opens the decision screen."""
APPROVE_KEY = _key_of("approve")
"""Opens the approval of a gate other than the decision."""
COMPOSE_KEY = _key_of("send")
"""Opens the composer."""
TIER_KEY = _key_of("db-tier")
"""Opens the database tiers."""
CARRIED_OUT = "check it once the tier is carried out"
"""What a database step left open with its tier chosen waits for (`database_tiers.choose_tier`
and `database_tiers.settle_database` say it of the step they leave open)."""
RUN_TIER_COMMAND = "run the tier's command, which checks it"
"""What a database step left open with a tier that carries a command waits for."""
ASSIGN_KEY = _key_of("assign")
"""Opens the role form: a tier's approval waits for someone in its role."""
SKIP_KEY = _key_of("skip")
"""Skips the step, with a reason."""
CHECK_KEY = _key_of("check")
"""Checks the step, asking first for whatever it still needs."""
NOTE_KEY = _key_of("note")
"""Adds a note: what was re-assessed, and decided."""
TRIGGER_KEY = _key_of("trigger")
"""Opens the form marking a manual trigger met or cleared."""
DUE_KEY = "m"
PAGE_KEY = _key_of("status-page")
"""Records the status page updated by hand."""
PAGE_WHO_KEY = _key_of("page")
"""Records who was paged."""
"""Opens the message the runbook made due, to review and send (a screen key, not a verb)."""


def due_cue(
    templates: Sequence[str], *, naming: bool = True, keyed: bool = True, opening: bool = False
) -> str:
    """What the coordinator is told of the messages waiting for review, wherever it is
    said: how many, the key, then which (`naming`; a face short of room leaves them
    off). "3 messages due — press m: initiating, announce, paging"; one message reads
    the same, "1 message due — press m: update". The toast had said "The update
    message is ready: m reviews and sends it" of one message, while the line leading a
    verb's toast said "1 message due — press m". Not `keyed`, for a view with no key to
    send them (attach, serve): "3 messages due: initiating, announce, paging".
    `opening`, while one just sent from its dialog opens the next by itself: "2 messages
    due — the next opens by itself". The toast said "press m" then, and the `m` pressed
    as it said was typed into the message that had opened (ux_review17)."""
    cue = f"{counted(len(templates), 'message')} due"
    if opening:
        cue += " — the next opens by itself"
    elif keyed:
        cue += f" — press {DUE_KEY}"
    if not naming or not templates:
        return cue
    return f"{cue}: {', '.join(template.replace('-', ' ') for template in templates)}"


class NextKey(Struct, frozen=True):
    """The key to press on a step, and what pressing it does, in a few words."""

    key: str
    what: str
    prefill: tuple[tuple[str, str], ...] = ()
    """What the key's form opens filled in with, by parameter: what `what` names (the
    role to assign; the trigger to clear, and `cleared`). The form opened blank, and
    the coordinator chose again what the guidance had just said."""

    @property
    def hint(self) -> str:
        return f"Press {self.key}: {self.what}."

    def values_for(self, verb: str) -> dict[str, str]:
        """What `verb`'s form opens with when this key is `verb`'s: `prefill`; else none."""
        key = BY_NAME[verb].key
        return dict(self.prefill) if key and self.key == key.split(",")[0] else {}


def next_key(
    state: IncidentState,
    step_id: str,
    now: datetime,
    unpolled: Mapping[str, str] | None = None,
    unrecorded: Mapping[str, UnrecordedRun] | None = None,
) -> NextKey | None:
    """The key that moves `step_id` forward now; None once it is done or skipped, or
    the incident closed (no step is checked after the close: `open_step`).

    `unpolled`: why each probe this face does not poll goes unpolled, by name (probes
    off, a bundled default URL): a step waiting on one says so and what to do, not
    that evidence is yet to come. `unrecorded`: the command steps whose command ran
    here and is not recorded yet, by step: not to be run again (`unrecorded_run`)."""
    record = state.steps.get(step_id)
    if record is None or state.is_closed:
        return None
    if state.status_of(step_id) in (StepStatus.DONE, StepStatus.SKIPPED):
        return None
    step = record.step
    gate = decision_gate(state)
    if gate is not None and gate.step.id == step_id and step_id not in state.approvals:
        triggers = read_triggers(state)
        met = sum(1 for t in triggers if t.state is TriggerState.MET)
        tally = f" ({met} of {len(triggers)} triggers met)" if triggers else ""
        return NextKey(DECIDE_KEY, f"the decision screen{tally}, then decide")
    if gate is not None and gate.step.id not in state.approvals and assess_step(state) == step_id:
        # The gate's trigger reading is the guide's assessment (ux_review15 #5).
        return NextKey(CHECK_KEY, f"check it once assessed; deciding ({DECIDE_KEY}) checks it too")
    if step.approver or step.kind == StepKind.APPROVAL:
        if step_id not in state.approvals:
            return NextKey(APPROVE_KEY, "record who approves this gate and why")
        return NextKey(CHECK_KEY, "check it, the gate approved")
    if (held := resolution_held(state, step, now)) is not None:
        return _reassess(state, held)
    if step.kind == StepKind.COMMUNICATION:
        sent = message_steps.sent_evidence(state, step.template) if step.template else ""
        if sent and (page := page_pending(state, step)) is not None:  # the page's half
            return NextKey(PAGE_KEY, f"{page}: update it, then record it, which checks this")
        if sent:  # reopened since: the record already shows it done
            return NextKey(CHECK_KEY, f"check it ({sent})")
        waiting = {m.template for m in awaiting_confirmation(state, now)}
        post = f"; not delivered: post it yourself, {PAGE_WHO_KEY} records who you paged"
        unposted = post if unpaged(state, step.template) is not None else ""
        if step.template in waiting:
            return NextKey(
                DUE_KEY, f"review the due message and send it; sending checks this{unposted}"
            )
        declined = [d for d in state.declined if d.template == step.template]
        if declined:  # not sent on purpose: what is left is to say so of the step
            last = declined[-1]
            when = t_plus(state, last.at)
            return NextKey(
                SKIP_KEY,
                f"its message was declined at {when}: skip it, or {COMPOSE_KEY} sends it after all",
                (("reason", f"message declined: {last.reason}"),),
            )
        return NextKey(COMPOSE_KEY, f"compose and send the message; sending checks this{unposted}")
    if step.kind == StepKind.DATABASE:
        choice = state.tier_choice
        if choice is None:
            return NextKey(TIER_KEY, "choose a database tier, with a reason")
        tier = state.runbook.database_tier(choice.tier)
        if tier is not None and tier.approver and tier_target(tier.id) not in state.approvals:
            if not state.roles.get(tier.approver):  # only its holder approves (gates)
                return NextKey(
                    ASSIGN_KEY,
                    f"assign the {tier.approver} role, to approve the tier",
                    (("role", tier.approver),),
                )
            return NextKey(APPROVE_KEY, f"record {tier.approver}'s approval of the tier")
        if tier is not None and tier.command:  # space runs it, as a command step's
            ran = (unrecorded or {}).get(step_id)
            if ran is not None:
                return NextKey(CHECK_KEY, ran.hint(state))
            return NextKey(CHECK_KEY, "confirm the tier's command, which runs and checks this")
        if tier is not None and tier.data_loss is DataLoss.NONE:  # chosen before, left open
            return NextKey(CHECK_KEY, "check it: the tier chosen has nothing to carry out")
        return NextKey(CHECK_KEY, CARRIED_OUT)
    artefact = closeout.artefact_of(state, step_id)
    if artefact is not None:
        return NextKey(CHECK_KEY, f"{closeout.HOW[artefact]}; P opens the post-mortem")
    if channel_step.channel_missing(state, step_id):
        return NextKey(CHECK_KEY, "name the incident channel; naming it checks this")
    if step.kind == StepKind.COMMAND and step.command:
        ran = (unrecorded or {}).get(step_id)
        if ran is not None:  # space: the check form with a note saying it ran, if it worked
            return NextKey(CHECK_KEY, ran.hint(state))
        return NextKey(CHECK_KEY, "confirm the command, which runs and checks this")
    if step.kind == StepKind.VERIFICATION and step.probe:
        found = evidence_for(state, step)
        if found.holds:
            return NextKey(CHECK_KEY, f"check it, the evidence holds ({found.detail})")
        if found.holds is False and (marked := _marked_met(state, step.probe)):
            trigger, by = marked  # the team's own mark holds it back: clearing it is the way
            return NextKey(
                TRIGGER_KEY,
                f"mark {trigger} cleared once it no longer holds (still met, marked by {by})",
                (("trigger", trigger), ("verdict", "cleared")),
            )
        if found.holds is False:  # the readings say otherwise: checking asks why
            return NextKey(CHECK_KEY, f"not yet: {found.detail}; checking now asks why")
        why = not_polled(state, step.probe, unpolled or {})
        if why is not None:
            return NextKey(
                CHECK_KEY, f"{step.probe} {why}; checking asks what you saw, as evidence"
            )
        if found.detail.startswith(NO_BASELINE):  # the readings cannot say "back to baseline"
            return NextKey(CHECK_KEY, f"{found.detail}; checking asks what you saw")
        return NextKey(CHECK_KEY, f"no evidence yet ({found.detail}); checking asks what you saw")
    if step.kind == StepKind.VERIFICATION:  # no probe: what was seen is its evidence
        return NextKey(CHECK_KEY, "check it once done; checking asks what you tested and saw")
    return NextKey(CHECK_KEY, "check it once done")


def _reassess(state: IncidentState, held: Unstable) -> NextKey:
    """The resolution held back by a trigger met: the trigger, not `m` (ux_review11 #1).
    A manual trigger the team marked is theirs to clear once it no longer holds; a
    probe's clears with its readings, and what is decided meanwhile is a note."""
    manual = {t.id for t in state.runbook.triggers if t.kind == TriggerKind.MANUAL}
    marked = next((t for t in held.triggers if t in manual), None)
    if marked is not None:
        return NextKey(
            TRIGGER_KEY,
            f"{held.text}: {REASSESS}; mark {marked} cleared once it no longer holds",
            (("trigger", marked), ("verdict", "cleared")),
        )
    return NextKey(NOTE_KEY, f"{held.text}: {REASSESS}; note what you decide")


def not_polled(state: IncidentState, probe: str, unpolled: Mapping[str, str]) -> str | None:
    """Why `probe` has nothing to show and will have nothing: this face does not poll it
    (`unpolled`'s reason) and no sample of it is in the record; None otherwise. The
    guidance and the decision's trigger rows say it instead of waiting for readings."""
    why = unpolled.get(probe)
    return None if why is None or state.samples.get(probe) else why


def trigger_not_polled(
    state: IncidentState, reading: TriggerReading, unpolled: Mapping[str, str]
) -> str | None:
    """What a probe trigger with no data says while its probe is not polled here: that
    it is not, and what the team can do instead (judge by eye, and mark the manual
    trigger with what they see). It said `0 of 3 readings so far`, a wait with no end."""
    probe = reading.trigger.probe
    if reading.state is not TriggerState.NO_DATA or probe is None:
        return None
    why = not_polled(state, probe, unpolled)
    if why is None:
        return None
    manual = next((t.id for t in state.runbook.triggers if t.kind == TriggerKind.MANUAL), None)
    # One row at 80 columns, as the wait it replaces: two pushed the reason out of view.
    return f"{why}; judge by eye" + (f", mark {manual}" if manual else "")


def _marked_met(state: IncidentState, probe: str) -> tuple[str, str] | None:
    """The first manual trigger marked met, and by whom, when the team's marks alone hold
    back a step verified on `probe` (`evidence_for`: every probe but the version is
    judged on the triggers still met); None when none does, or when a probe's trigger
    is met too: clearing a mark would not let the step pass, and the guidance would
    hide what still holds it."""
    found = state.runbook.probe(probe)
    if found is None or found.kind == ProbeKind.VERSION:
        return None
    if any(verdict.met for verdict in probe_verdicts(state).values()):
        return None
    for trigger in state.runbook.triggers:
        mark = state.triggers.get(trigger.id)
        if trigger.kind == TriggerKind.MANUAL and mark is not None and mark.met:
            return trigger.id, mark.by
    return None
