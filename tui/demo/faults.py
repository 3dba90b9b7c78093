"""How the shop plays each drill fault: the numbers behind its endpoints.

The faults themselves (names, what fits them) are the domain's
(`incident.reports.drill_faults`); this is only what the shop does while the bad
release serves. `lastgood demo` plays `DEMO`: 12% errors, flat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from incident.reports.changes import ChangedFile, Commit, Migration, ReleaseChanges
from incident.reports.drill_faults import FaultName


@dataclass(frozen=True, slots=True)
class ShopFault:
    """What the bad release does; after the rollback the shop is the same for all."""

    error_rate: float = 0.12
    """Error probability when the bad release starts."""
    rise_per_min: float = 0.0
    """How much the error probability climbs each minute the bad release serves."""
    max_error_rate: float = 0.30
    latency_s: float = 0.6
    """Nominal checkout latency of the bad release."""
    slow_health: bool = False
    """/healthz takes as long as a checkout (the only place the probes see latency)."""
    flap_period_s: float = 0.0
    """/healthz answers 503 for `flap_down_s` of every `flap_period_s` (0: never)."""
    flap_down_s: float = 0.0
    migrations: tuple[dict[str, Any], ...] = ()
    """What /version lists of the bad release's schema changes."""

    def bad_rate(self, serving_s: float) -> float:
        """The error probability after the bad release has served `serving_s` seconds."""
        rate = self.error_rate + self.rise_per_min * max(serving_s, 0.0) / 60.0
        return min(rate, max(self.max_error_rate, self.error_rate))

    def health_down(self, serving_s: float) -> bool:
        """Whether a flapping /healthz is in its failing part at `serving_s`."""
        if self.flap_period_s <= 0:
            return False
        return serving_s % self.flap_period_s >= self.flap_period_s - self.flap_down_s


DEMO = ShopFault()

IRREVERSIBLE = {
    "id": "0042_add_orders_tax_region",
    "summary": "adds orders.tax_region and backfills it",
    "down": None,
}
"""The migration the irreversible-migration drill ships: no down step."""

SHOP_FAULTS: dict[FaultName, ShopFault] = {
    FaultName.BAD_RELEASE: ShopFault(error_rate=0.08, rise_per_min=0.03),
    FaultName.SLOW_RELEASE: ShopFault(error_rate=0.004, latency_s=0.8, slow_health=True),
    FaultName.IRREVERSIBLE_MIGRATION: ShopFault(error_rate=0.10, migrations=(IRREVERSIBLE,)),
    FaultName.FLAPPING_HEALTH: ShopFault(error_rate=0.03, flap_period_s=10.0, flap_down_s=4.0),
}
"""Every drill fault as the shop plays it (a test holds this to `FAULTS`)."""


RELEASE_COMMITS = (
    Commit("9f3c2a1", "checkout: show tax by region"),
    Commit("51be07d", "orders: read the region from the address"),
    Commit("c0a8e44", "deps: bump the HTTP client"),
)
"""What 2.4.1 adds over 2.4.0, in every drill (its migrations are the fault's)."""


def release_changes(fault: ShopFault) -> ReleaseChanges:
    """What rolling the shop back from 2.4.1 to 2.4.0 undoes, as `lastgood changes` would
    read it from the shop's repository: the commits, and the migrations /version lists.
    A drill records it at its start, so the tier dialog shows it as evidence."""
    migrations = tuple(
        Migration(f"migrations/versions/{m['id']}.py", "alembic", m["down"] is not None, ())
        for m in fault.migrations
    )
    files = (
        ChangedFile("M", "shop/checkout.py"),
        ChangedFile("M", "shop/orders.py"),
        ChangedFile("M", "requirements.txt"),
        *(ChangedFile("A", m.path) for m in migrations),
    )
    return ReleaseChanges("2.4.1", "2.4.0", RELEASE_COMMITS, files, migrations)
