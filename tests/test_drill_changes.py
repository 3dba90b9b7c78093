"""A drill records what rolling back undoes, so its tier is scored on what was shown.

A fresh user's review (review 3, finding 2): the irreversible-migration drill's card said
the tier hinged on "0042 only adds a column ... and has no down step", a fact only
`curl /version` showed. The drill now records the release's changes at its start, as
`lastgood changes` would: the tier dialog shows them, and the card quotes them.
"""

from __future__ import annotations

from pathlib import Path

from msgspec.structs import replace

from incident import commands
from incident.app.drill import closed_score
from incident.core.clock import ManualClock
from incident.core.state import fold
from incident.reports.drill_faults import FaultName, fault_named
from runbooks import load_runbook, resolve_runbook
from store.sqlite_log import SqliteEventLog
from tests.drill_walk import DRILL, at, drill_session, walk
from tui.demo.faults import SHOP_FAULTS, release_changes
from tui.demo.launch import declare_drill

IRREVERSIBLE = FaultName.IRREVERSIBLE_MIGRATION


def test_a_drill_records_what_its_rollback_undoes(tmp_path: Path) -> None:
    runbook = load_runbook(resolve_runbook("rollback"))
    log = SqliteEventLog.open(tmp_path / "drill.db")
    migration = declare_drill(log, runbook, "Ada", fault=fault_named(IRREVERSIBLE))
    plain = declare_drill(log, runbook, "Ada", fault=fault_named("bad-release"))
    changes = fold(log.events(migration)).changes
    assert changes is not None
    assert changes.migrations == ("0042_add_orders_tax_region.py (alembic): no down step",)
    assert changes.summary == (
        "2.4.1 → 2.4.0 undoes 3 commits and 1 migration (1 flagged); suggested tier none: "
        "expand-only migrations (nothing dropped or renamed): the old code ignores what "
        "they added"
    )
    # Every fault's drill records it, so its presence gives no fault away.
    other = fold(log.events(plain)).changes
    assert other is not None and other.migrations == () and other.suggested_tier == "none"


def test_the_tier_is_scored_on_what_the_tier_dialog_showed(clock: ManualClock) -> None:
    session = drill_session(clock, replace(DRILL, drill=str(IRREVERSIBLE)))
    changes = release_changes(SHOP_FAULTS[IRREVERSIBLE])
    at(session, clock, 0, lambda s, c: commands.record_changes(s, changes, actor="drill", clock=c))
    walk(session, clock, tier="down-migrations")
    card = closed_score(session.state, clock.now())
    tier = next(line for line in card.lines if line.name == "Database tier")
    assert tier.text() == (
        "Database tier: down-migrations does not fit; none does: 0042 only adds a column, "
        "which 2.4.0 ignores (expand only), and has no down step: run no down migration and "
        "restore no backup; the tier dialog showed: 2.4.1 → 2.4.0 undoes 3 commits and 1 "
        "migration (1 flagged); suggested tier none: expand-only migrations (nothing dropped "
        "or renamed): the old code ignores what they added - missed"
    )
