"""The guide's frame, and where a runbook departs from it.

rollback-guide.md sets four phases with their windows, three verification steps, three
database tiers (the last one, a backup restore, only with leadership's approval) and two
example rollback triggers (error rate > 5%, core functionality broken). The bundled
`rollback.yaml` encodes exactly that; a team's copy may change any of it, and
`validate` said ok for a runbook that had dropped the leadership approval (ux_review15
#9). `departures` lists each change as a note, not an error: teams adapt the guide, and
a reviewer signing a runbook off needs to see where; `validate`, `declare` and `status`
say the same notes (`runbooks.unenforced.guide_notes`). A role, trigger or approval the
runbook adds is no departure (the guide's triggers are examples, and it names no roles
but the coordinator, the commander and leadership; `status` said `runbook's own, not the
guide's: roles comms-lead, ops` of the bundled runbook `validate` found ok: ux_review17
#12); the gate marks an added trigger or approval where it is used (`runbooks_own_*`).
"""

from __future__ import annotations

from msgspec import Struct

from runbooks.model import DataLoss, Phase, Runbook, Step, StepKind, Trigger, TriggerKind, Window


class GuidePhase(Struct, frozen=True):
    """One of the guide's four phases, by the id the bundled runbook gives it."""

    id: str
    title: str
    window: Window | None
    holds: str
    """What the guide does in it, for a note that the phase is missing."""


GUIDE_PHASES: tuple[GuidePhase, ...] = (
    GuidePhase(
        "decide",
        "Decision and Communication",
        Window(0, 5),
        "assess severity, decide, announce, page the team, notify stakeholders",
    ),
    GuidePhase(
        "execute", "Execute Rollback", Window(5, 30), "the application and database rollback"
    ),
    GuidePhase(
        "verify", "Verification", Window(15, 45), "confirm version, check health, smoke test"
    ),
    GuidePhase(
        "close-out",
        "Communication and Post-Mortem Prep",
        None,
        "communicate resolution, document the incident, preliminary RCA, schedule the post-mortem",
    ),
)
"""The guide's phases, in its order: 'Phase 1: Decision and Communication (T+0 to T+5
minutes)' ... 'Phase 4: Communication and Post-Mortem Prep' (no window)."""

GUIDE_VERIFICATION_STEPS: tuple[tuple[str, str], ...] = (
    ("confirm-version", "Confirm version"),
    ("check-health", "Check health"),
    ("smoke-test", "Smoke test"),
)
"""Phase 3's steps, (the bundled runbook's id, the guide's title)."""

GUIDE_TIERS: tuple[tuple[DataLoss, str], ...] = (
    (DataLoss.NONE, "Best case: no database rollback"),
    (DataLoss.POSSIBLE, "Acceptable case: run down migrations"),
    (DataLoss.CERTAIN, "Last resort: restore the pre-deployment backup"),
)
"""The guide's database tiers, known by how much data each may lose."""

GUIDE_APPROVER = "leadership"
"""The one approval the guide names: 'Last Resort ... This requires leadership approval.'"""

GUIDE_ERROR_RATE = 0.05
"""'error rate > 5%', as a ratio."""

ERROR_RATE = "error-rate"
"""The id (or probe name) by which a runbook's error-rate trigger is known."""


def departures(runbook: Runbook) -> list[str]:
    """Each place `runbook` departs from the guide's frame, one sentence each, in the
    guide's order: phases, verification steps, the guide's other steps (`guide_steps`),
    database tiers, triggers. None for the bundled runbook (a test holds it so)."""
    from runbooks.guide_steps import step_departures

    return [
        *phase_departures(runbook),
        *_verification_departures(runbook),
        *step_departures(runbook),
        *_tier_departures(runbook),
        *_trigger_departures(runbook),
    ]


def guide_phase(runbook: Runbook, guide: GuidePhase) -> Phase | None:
    """The runbook's phase for one of the guide's: by the bundled id, else the first
    whose title holds the guide's (`Phase 1: Decision and Communication`), else by the
    guide's window (deployment-plan.md's `Rollback: application (T+5 to T+30 minutes)`
    is the guide's Execute Rollback)."""
    title = guide.title.casefold()
    return (
        runbook.phase(guide.id)
        or next((p for p in runbook.phases if title in p.title.casefold()), None)
        or next((p for p in runbook.phases if guide.window and p.window == guide.window), None)
    )


def window_text(window: Window | None) -> str:
    """`T+0-5`, `T+15 on`, or `no window`, as `status` writes a phase's window."""
    if window is None:
        return "no window"
    if window.end_min is None:
        return f"T+{window.start_min} on"
    return f"T+{window.start_min}-{window.end_min}"


def phase_departures(runbook: Runbook) -> list[str]:
    """The guide's phases `runbook` lacks, those whose window is not the guide's, and
    whether they come in another order than the guide's."""
    notes: list[str] = []
    for guide in GUIDE_PHASES:
        phase = guide_phase(runbook, guide)
        if phase is None:
            where = "" if guide.window is None else f"{window_text(guide.window)}: "
            notes.append(f"no phase for the guide's {guide.title} ({where}{guide.holds})")
        elif phase.window != guide.window:
            notes.append(
                f"phase '{phase.id}' has {window_text(phase.window)}; "
                f"the guide's {guide.title} has {window_text(guide.window)}"
            )
    if (order := _order_departure(runbook)) is not None:
        notes.append(order)
    return notes


def _order_departure(runbook: Runbook) -> str | None:
    """`phases out of the guide's order: ...` when the runbook's phases for the guide's
    come in another order (bad/order.yaml of ux_review17 #3 put `execute` above
    `decide`, and `status` opened on Execute Rollback); None in the guide's order."""
    found: list[tuple[int, str]] = []
    for guide in GUIDE_PHASES:
        phase = guide_phase(runbook, guide)
        if phase is not None and phase.id not in (pid for _, pid in found):
            found.append((runbook.phases.index(phase), phase.id))
    if [at for at, _ in found] == sorted(at for at, _ in found):
        return None
    theirs = ", ".join(pid for _, pid in sorted(found))
    guides = ", ".join(pid for _, pid in found)
    return f"phases out of the guide's order: the runbook has {theirs}; the guide's is {guides}"


def _verification_departures(runbook: Runbook) -> list[str]:
    steps = runbook.steps()
    return [
        f"no verification step for the guide's {title} (Phase 3)"
        for step_id, title in GUIDE_VERIFICATION_STEPS
        if not any(_is_guide_step(step, step_id, title) for step in steps)
    ]


def _is_guide_step(step: Step, step_id: str, title: str) -> bool:
    return step.id == step_id or (
        step.kind is StepKind.VERIFICATION and step.title.casefold() == title.casefold()
    )


def _tier_departures(runbook: Runbook) -> list[str]:
    notes: list[str] = []
    for loss, title in GUIDE_TIERS:
        tiers = [tier for tier in runbook.database_tiers if tier.data_loss is loss]
        if not tiers:
            notes.append(f"no database tier with data_loss: {loss} (the guide's {title})")
    for tier in runbook.database_tiers:
        if tier.data_loss is not DataLoss.CERTAIN or tier.approver == GUIDE_APPROVER:
            continue
        who = "no approver" if tier.approver is None else f"approver: {tier.approver}"
        notes.append(
            f"database tier '{tier.id}' (data_loss: certain) has {who}; "
            "the guide's Last resort requires leadership approval"
        )
    return notes


def _trigger_departures(runbook: Runbook) -> list[str]:
    notes: list[str] = []
    error_rates = [t for t in runbook.triggers if is_error_rate(t)]
    if not error_rates:
        notes.append("no error-rate trigger (the guide's: error rate > 5%)")
    for trigger in error_rates:
        if not _is_guide_error_rate(runbook, trigger):
            notes.append(
                f"trigger '{trigger.id}' fires at {_condition(runbook, trigger)}; "
                "the guide's is error rate > 5%"
            )
    if not any(t.kind is TriggerKind.MANUAL for t in runbook.triggers):
        notes.append(
            "no manual trigger for the guide's 'core functionality broken' "
            "(kind: manual, marked by the coordinator)"
        )
    return notes


def is_error_rate(trigger: Trigger) -> bool:
    """Whether `trigger` is the runbook's reading of the guide's 'error rate > 5%'."""
    return trigger.kind is TriggerKind.METRIC and ERROR_RATE in (trigger.id, trigger.probe)


def _ratio(runbook: Runbook, trigger: Trigger) -> float | None:
    """The trigger's threshold as a ratio (a `%` probe's 5 is 0.05), None if unknown."""
    if trigger.threshold is None:
        return None
    probe = runbook.probe(trigger.probe or "")
    unit = "" if probe is None else probe.unit
    if unit in ("%", "percent"):
        return trigger.threshold / 100
    return trigger.threshold if unit in ("ratio", "") else None


def _is_guide_error_rate(runbook: Runbook, trigger: Trigger) -> bool:
    ratio = _ratio(runbook, trigger)
    return trigger.op in (">", ">=") and ratio is not None and abs(ratio - GUIDE_ERROR_RATE) < 1e-9


def _condition(runbook: Runbook, trigger: Trigger) -> str:
    ratio = _ratio(runbook, trigger)
    value = f"{trigger.threshold:g}" if ratio is None else f"{ratio * 100:g}%"
    return f"error rate {trigger.op} {value}"


def runbooks_own_trigger(trigger: Trigger) -> bool:
    """Whether `trigger` is one the runbook adds to the guide's two examples (error rate
    > 5%, core functionality broken): the bundled runbook's `health-failing` is one."""
    return not (is_error_rate(trigger) or trigger.kind is TriggerKind.MANUAL)


def runbooks_own_approval(step: Step) -> bool:
    """Whether a step's approval is the runbook's rule, not the guide's: the guide
    names one approval only, leadership's for the Last-resort restore (a database tier's
    `approver`, not a step's); the bundled decision gate's commander approval is the
    runbook's."""
    return step.approver is not None
