from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from incident.core.clock import ManualClock
from runbooks.model import (
    Cadence,
    DatabaseTier,
    DataLoss,
    DeploymentPattern,
    PatternInfo,
    Phase,
    Runbook,
    Step,
    StepKind,
    Window,
)
from store import SqliteEventLog
from tests.postgres_server import Cluster, ClusterFailed, running_cluster

T0 = datetime(2026, 11, 28, 9, 0, 0, tzinfo=UTC)

OLDEST_GENERATION_AFTER = 100
"""Collections of the middle generation before the oldest is collected (10 by default).

A test worker's heap is the session's: 200,000-360,000 objects (Textual, Hypothesis,
every module, and all that an app's screen gives back to the collector as it closes,
`tui.app.heap.release_heap`). Collected whole after every tenth collection of the middle
generation, 149 full collections of up to 250 ms each took 35 s of the suite's CPU;
after every hundredth, 18 took 4 s, and a worker's peak RSS rose from 180-280 to
250-450 MB. The app's own collections are explicit (`FrozenCollections`) and its tests
call the collector themselves, so no test depends on the interpreter's trigger.
"""
gc.set_threshold(*gc.get_threshold()[:2], OLDEST_GENERATION_AFTER)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish() -> None:
    """What the raised threshold left uncollected, collected while pytest-xdist's
    controller still waits for this worker, after the session's fixtures are torn down;
    then the survivors frozen. pytest's five collections at exit (its check for
    unraisable exceptions) came after the worker said it had finished, and under load
    they outlasted the 5 s execnet gives it before interrupting it; each walked the
    worker's whole heap again (2.3 s of CPU per worker, all at the suite's tail).
    Frozen, what this collection leaves alive is not walked again; it lives until the
    process exits. Collected again while a collection finds garbage (a finaliser can
    leave more), as pytest's five would."""
    for _ in range(5):
        if not gc.collect():
            break
    gc.freeze()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


def _step(phase: str, id: str, **kw: object) -> Step:
    return Step(id=id, title=id.replace("-", " ").capitalize(), phase_id=phase, **kw)  # type: ignore[arg-type]


@pytest.fixture
def small_runbook() -> Runbook:
    """A four-phase runbook shaped like the guide, small enough to reason about."""
    bg, rolling = DeploymentPattern.BLUE_GREEN, DeploymentPattern.ROLLING
    return Runbook(
        id="small",
        title="Small rollback",
        source="<test>",
        patterns=(PatternInfo(bg, "Blue-green"), PatternInfo(rolling, "Rolling")),
        default_pattern=bg,
        templates=(("initiating", "Initiating rollback due to {issue}. ETA {eta}."),),
        cadence=Cadence(first_update_min=5, every_min=20),
        database_tiers=(
            DatabaseTier("none", "No database rollback", "none", DataLoss.NONE),
            DatabaseTier("down-migrations", "Down migrations", "data loss risk", DataLoss.POSSIBLE),
            DatabaseTier(
                "restore-backup",
                "Restore backup",
                "data loss",
                DataLoss.CERTAIN,
                approver="leadership",
            ),
        ),
        phases=(
            Phase(
                "decide",
                "Decision and Communication",
                Window(0, 5),
                steps=(
                    _step("decide", "assess"),
                    _step(
                        "decide", "initiate", kind=StepKind.APPROVAL, approver="incident-commander"
                    ),
                    _step("decide", "notify", kind=StepKind.COMMUNICATION, template="initiating"),
                ),
            ),
            Phase(
                "execute",
                "Execute Rollback",
                Window(5, 30),
                steps=(
                    _step("execute", "switch-lb", patterns=(bg,)),
                    _step("execute", "redeploy", patterns=(rolling,)),
                    _step("execute", "database", kind=StepKind.DATABASE),
                    _step("execute", "extra", required=False),
                ),
            ),
            Phase(
                "verify",
                "Verification",
                Window(15, 45),
                steps=(_step("verify", "confirm-version", kind=StepKind.VERIFICATION),),
            ),
            Phase(
                "closeout",
                "Communication and Post-Mortem Prep",
                Window(45, None),
                steps=(_step("closeout", "resolution"),),
            ),
        ),
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lastgood.db"


@pytest.fixture
def log(db_path: Path) -> Iterator[SqliteEventLog]:
    with SqliteEventLog.open(db_path) as opened:
        yield opened


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """This worker's own PostgreSQL cluster (tests/postgres_server.py); never skipped:
    if it cannot start, every test that needs it fails with the reason."""
    try:
        with running_cluster() as cluster:
            yield cluster
    except ClusterFailed as failure:
        pytest.fail(str(failure), pytrace=False)


@pytest.fixture
def pg_url(pg_cluster: Cluster, request: pytest.FixtureRequest) -> str:
    """A URL to an empty database of its own for this test."""
    name = "t_" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:24]
    return pg_cluster.fresh_database(name)
