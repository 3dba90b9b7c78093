"""The guide's own steps outside Phase 3, and a note for each a runbook lacks.

A copy of the bundled runbook without the decision gate, the page to the team, the
resolution and the preliminary RCA was `ok` at `validate` with no note (ux_review17
#4), where a missing smoke test got one. Each step is known as the verification steps
are (`guide_frame`): by the bundled runbook's id, else by what makes it that step (an
approval for the decision, the template the bundled runbook's message uses, the
guide's title for a close-out check).
"""

from __future__ import annotations

from collections.abc import Callable

from msgspec import Struct

from runbooks.model import Runbook, Step, StepKind


class GuideStep(Struct, frozen=True):
    """One of the guide's steps, as the bundled runbook writes it."""

    ids: tuple[str, ...]
    """The bundled runbooks' ids for it (the YAML's, then the Markdown checklist's)."""
    title: str
    """The guide's name for it."""
    phase: str
    """Its phase and what the guide says of it: `1: the decision gate`."""
    how: str
    """How a runbook writes it, for the note."""


def _template(name: str) -> Callable[[Step], bool]:
    return lambda step: step.kind is StepKind.COMMUNICATION and step.template == name


def _titled(*titles: str) -> Callable[[Step], bool]:
    return lambda step: step.title.casefold().rstrip(".:") in titles


def _gate(step: Step) -> bool:
    return step.approver is not None or step.kind is StepKind.APPROVAL


GUIDE_STEPS: tuple[tuple[GuideStep, Callable[[Step], bool]], ...] = (
    (
        GuideStep(
            ("decide-rollback",),
            "Decide to initiate the rollback",
            "1: the decision gate",
            "a step with kind: approval or an approver",
        ),
        _gate,
    ),
    (
        GuideStep(
            ("assemble-team",),
            "Assemble the Team",
            "1: page the deployment team and on-call engineers",
            "a communication step with template: paging",
        ),
        _template("paging"),
    ),
    (
        GuideStep(
            ("notify-stakeholders",),
            "Notify Stakeholders",
            "1: 'Initiating rollback due to [issue]. ETA [time].'",
            "a communication step with template: initiating",
        ),
        _template("initiating"),
    ),
    (
        GuideStep(
            ("communicate-resolution",),
            "Communicate Resolution",
            "4: notify all stakeholders that the issue is resolved",
            "a communication step with template: resolved",
        ),
        _template("resolved"),
    ),
    (
        GuideStep(
            ("document-incident", "document-the-incident"),
            "Document the Incident",
            "4: an incident report of the timeline, impact and resolution",
            "a step with id: document-incident, checked by exporting the report",
        ),
        _titled("document the incident"),
    ),
    (
        GuideStep(
            ("preliminary-rca",),
            "Preliminary RCA",
            "4: begin a preliminary root cause analysis",
            "a step with id: preliminary-rca, checked by recording the root cause",
        ),
        _titled("preliminary rca"),
    ),
    (
        GuideStep(
            ("schedule-post-mortem",),
            "Schedule Post-Mortem",
            "4: book a blameless post-mortem within 24-48 hours",
            "a step with id: schedule-post-mortem, checked by booking it",
        ),
        _titled("schedule post-mortem", "schedule the post-mortem"),
    ),
)
"""The guide's steps the bundled runbook encodes outside Phase 3 (whose verification
steps `guide_frame` notes), in the guide's order; each with how it is recognised."""


def step_departures(runbook: Runbook) -> list[str]:
    """A note per guide step `runbook` lacks: `no step for the guide's Preliminary RCA
    (Phase 4: begin ...; a step with id: preliminary-rca, ...)`. None for the bundled
    runbook."""
    steps = runbook.steps()
    return [
        f"no step for the guide's {guide.title} (Phase {guide.phase}; {guide.how})"
        for guide, matches in GUIDE_STEPS
        if not any(step.id in guide.ids or matches(step) for step in steps)
    ]
