"""The faults `lastgood drill` rehearses, which database tiers fit each, and when a
drill's fault may be shown.

The shop (`tui.demo.shop`) plays a fault by its name; the score card judges the
coordinator's tier against `fitting_tiers`, ids of the bundled runbook's
`database_tiers` (a test holds them to it), so a drill scores the guide's choices,
not tiers of its own.

While a drill runs, finding the fault is the coordinator's exercise: `fault_shown`
decides, once for every face, that its name (and anything that names it: the score
card, the record's declaration in the JSON export) is shown only once it is closed.
"""

from __future__ import annotations

from enum import StrEnum

from msgspec import Struct

from incident.core.errors import CommandError
from incident.core.state import IncidentState


class FaultName(StrEnum):
    BAD_RELEASE = "bad-release"
    SLOW_RELEASE = "slow-release"
    IRREVERSIBLE_MIGRATION = "irreversible-migration"
    FLAPPING_HEALTH = "flapping-health"


class Fault(Struct, frozen=True):
    """One rehearsable fault: what the shop shows, and what a coordinator should choose."""

    name: FaultName
    title: str
    """What the fault is, as the issue names it."""
    symptom: str
    """What the shop's endpoints show while the bad release serves."""
    fitting_tiers: tuple[str, ...]
    """The runbook's database tier ids that fit the fault."""
    tier_reason: str
    """Why those tiers fit, for the score card."""
    shows_on: str = "error-rate"
    """The probe whose readings the fault moves: evidence that service is restored must
    speak to it (the score card judges a verification step on another probe by the
    rollback triggers that read this one)."""


FAULTS: dict[FaultName, Fault] = {
    fault.name: fault
    for fault in (
        Fault(
            FaultName.BAD_RELEASE,
            "A bad release with rising errors",
            "checkout errors start near 8% and climb while 2.4.1 serves",
            ("none",),
            "2.4.1 changed no schema: there is nothing for the database to undo",
        ),
        Fault(
            FaultName.SLOW_RELEASE,
            "A slow release that only latency shows",
            "checkout and /healthz answer in about 0.8 s; the error rate stays at baseline",
            ("none",),
            "2.4.1 changed no schema: there is nothing for the database to undo",
            shows_on="health",
        ),
        Fault(
            FaultName.IRREVERSIBLE_MIGRATION,
            "A release with an irreversible migration",
            "errors near 10%; /version lists migration 0042, which has no down step",
            ("none",),
            "0042 only adds a column, which 2.4.0 ignores (expand only), and has no down "
            "step: run no down migration and restore no backup",
        ),
        Fault(
            FaultName.FLAPPING_HEALTH,
            "A flapping health check",
            "/healthz turns 503 for a few seconds in every ten; errors stay near 3%",
            ("none",),
            "2.4.1 changed no schema: there is nothing for the database to undo",
        ),
    )
}
"""Every fault, by name, in the order `--list-faults` shows them."""


def fault_named(name: str) -> Fault:
    """The fault called `name`; ValueError naming the known ones otherwise."""
    try:
        return FAULTS[FaultName(name)]
    except ValueError:
        known = ", ".join(FAULTS)
        raise ValueError(f"no fault '{name}' (choose {known})") from None


HIDDEN = "hidden"
"""An open drill's fault where JSON names it (`status`, `list`): a drill, its fault
not shown yet. No fault is called that."""

HIDDEN_TEXT = "drill (fault hidden until close)"
"""An open drill, where text would name its fault."""


def fault_shown(state: IncidentState) -> bool:
    """Whether the fault of the drill `state` may be shown: once it is closed, never
    while the coordinator may still be looking for it. (A real incident has none.)"""
    return state.is_closed


def shown_fault(state: IncidentState, *, latest: IncidentState | None = None) -> str | None:
    """The drill's fault as the faces show it: None for a real incident, `HIDDEN` while
    the drill is open, its name once closed. `latest` is the incident as its record
    stands when `state` is an earlier moment of it (replay): a closed drill shows its
    fault at every moment, an open one at none."""
    if not state.drill:
        return None
    return state.drill if fault_shown(latest or state) else HIDDEN


def drill_label(state: IncidentState) -> str:
    """The drill as a line of text names it: "drill: FAULT" once closed, else
    `HIDDEN_TEXT` ("" for a real incident)."""
    if not state.drill:
        return ""
    return f"drill: {state.drill}" if fault_shown(state) else HIDDEN_TEXT


class FaultHidden(CommandError):
    """What would name a running drill's fault, asked for before it is closed."""

    def __init__(self, state: IncidentState, what: str) -> None:
        super().__init__(
            f"{state.id} is a drill still running: {what} names the fault it plays, "
            "which is shown only once the drill is closed"
        )


def require_fault_shown(state: IncidentState, what: str) -> None:
    """`FaultHidden` if `state` is a drill whose fault may not be shown yet and `what`
    (its score card, its JSON export) would name it."""
    if state.drill and not fault_shown(state):
        raise FaultHidden(state, what)
