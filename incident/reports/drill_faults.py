"""The faults `lastgood drill` rehearses, and which database tiers fit each.

The shop (`tui.demo.shop`) plays a fault by its name; the score card judges the
coordinator's tier against `fitting_tiers`, ids of the bundled runbook's
`database_tiers` (a test holds them to it), so a drill scores the guide's choices,
not tiers of its own.
"""

from __future__ import annotations

from enum import StrEnum

from msgspec import Struct


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
