"""Where and when a runbook's messages go: webhook targets, the moments a message is
due, and the stakeholder-update cadence (part of the runbook model, `runbooks.model`,
which re-exports every name here)."""

from __future__ import annotations

from enum import StrEnum

from msgspec import Struct

from runbooks.variable_use import VariableUse


class NotifyTarget(Struct, frozen=True):
    """Where messages can be delivered: a Slack-compatible or a generic JSON webhook.

    The URL and header values may reference `${ENV_VAR}`; they are expanded only
    when a message is sent and never stored in the record.
    """

    name: str
    kind: str
    """"slack" (`{"text": ...}`) or "json"."""
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    uses: tuple[VariableUse, ...] = ()
    """Where the runbook uses each variable it reads (`VariableUse`), set when it is
    built; left out of its snapshot, which rebuilds it."""


class MomentKind(StrEnum):
    """When an incident reaches a point at which a message is due."""

    DECLARED = "declared"
    UPDATE_DUE = "update-due"
    STEP = "step"
    """A named step is done (`step:decide-rollback`)."""
    PHASE = "phase"
    """Every required step of a named phase is done (`phase:verify`)."""


class Moment(Struct, frozen=True):
    """When a message rule fires: a step done, a phase entered, an update due."""

    kind: MomentKind
    ref: str = ""
    """The step or phase id, for `step:` and `phase:` moments."""

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}" if self.ref else str(self.kind)

    @property
    def once(self) -> bool:
        """Whether the moment comes once per incident (all but the update cadence)."""
        return self.kind is not MomentKind.UPDATE_DUE


class SendMode(StrEnum):
    AUTO = "auto"
    """Recorded and delivered as soon as the moment comes."""
    CONFIRM = "confirm"
    """Offered to the coordinator, who sends, edits or declines it."""


class SendRule(Struct, frozen=True):
    """Where a template's messages are delivered and, optionally, when they are due."""

    template: str
    targets: tuple[str, ...] = ()
    on: Moment | None = None
    mode: SendMode = SendMode.CONFIRM


class Cadence(Struct, frozen=True):
    """When stakeholder updates are due: first within N minutes, then every M."""

    first_update_min: int = 5
    every_min: int = 20
    to_responders: tuple[str, ...] = ()
    """Templates whose messages go to the responders (the page to the team), not to
    stakeholders: sending one is no stakeholder update and leaves the cadence alone.
    Empty in a runbook that does not say so, where every message counts, as before."""


RESOLUTION_TEMPLATE = "resolved"
"""The template a status page is sent by default: the resolution message."""


class StatusPage(Struct, frozen=True):
    """The page people read for the incident's status (`status_page:`), and the notify
    target, if any, through which its updates are posted."""

    url: str
    """The page people read: shown to the coordinator and in the report, never posted to."""
    target: str = ""
    """The notify target (a webhook) that posts updates to the page; "" when the page is
    updated by hand."""
    send: tuple[str, ...] = (RESOLUTION_TEMPLATE,)
    """The templates whose messages go to the page's target."""

    def takes(self, template_id: str | None) -> bool:
        """Whether a message from `template_id` goes to the page (when it has a target)."""
        return template_id is not None and template_id in self.send
