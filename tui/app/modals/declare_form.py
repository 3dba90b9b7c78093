"""What the declaration form collected, and what it shows of a runbook: plain values
the app declares from (`tui.app.declaring`), kept apart from the form's widgets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from incident.app.runbook_lookup import BUNDLED_DEFAULT

if TYPE_CHECKING:
    from incident.app.lifecycle import Declaration


@dataclass(frozen=True)
class RunbookView:
    """What the form shows of a runbook."""

    name: str
    """How it is named in the Runbook field (`rollback`, or a path)."""
    title: str
    """e.g. "Emergency rollback"."""
    patterns: tuple[str, ...]
    """Deployment patterns the runbook knows."""
    default_pattern: str | None
    """The one it uses when none is chosen."""
    notes: tuple[str, ...] = ()
    """What `declare` says of the runbook (`incident.app.declare_notes.runbook_notes`),
    one line each: shown before declaring, while another runbook can still be chosen."""


@dataclass(frozen=True)
class DeclareForm:
    """What the coordinator entered to declare an incident (all text stripped)."""

    title: str
    """Short incident title."""
    severity: str
    """SEV1..SEV4, or "" if none was chosen (refused by the use case)."""
    commander: str
    """Incident commander's name."""
    issue: str
    """What is wrong, as it will read in messages ("" if not given)."""
    eta_min: int | None
    """Estimated minutes to recovery, or ``None``."""
    pattern: str | None
    """Deployment pattern chosen, or ``None``: the runbook's default, which the form
    preselects (as `declare` without `--pattern`, even for a runbook not yet looked up)."""
    from_version: str
    """The bad version being rolled back ("" if not given)."""
    last_good_version: str
    """The version being rolled back to ("" if not given)."""
    channel: str
    """Incident channel ("" if not given)."""
    started_at: datetime | None = None
    """When the impact started, if before the declaration (T+0 is back-dated to it)."""
    runbook: str = BUNDLED_DEFAULT
    """The runbook's name or path, as typed (`default_runbook` if empty)."""

    def declaration(self) -> Declaration:
        """The declaration these fields make, as the command line's `declare` takes it."""
        from incident.app.lifecycle import Declaration  # the commands, when declaring

        return Declaration(
            title=self.title,
            severity=self.severity,
            commander=self.commander,
            issue=self.issue,
            eta_min=self.eta_min,
            pattern=self.pattern,
            started_at=self.started_at,
            channel=self.channel,
            from_version=self.from_version,
            last_good_version=self.last_good_version,
        )
