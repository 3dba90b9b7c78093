from __future__ import annotations

import compileall
import gc
import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

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

HYPOTHESIS_PROFILE = "lastgood"
"""The suite's Hypothesis settings: those it had (Hypothesis' own, or the `ci` profile it
loads by itself under CI), with no deadline. Hypothesis' default deadline (200 ms an
example) is a wall-time assertion: on a loaded machine (load 9-14 on 2 cores) an example
of `test_t_plus_agrees.py` took 211 ms and failed. Registered here, before any test
module is imported, so every `@settings(...)` a test writes inherits it."""
settings.register_profile(HYPOTHESIS_PROFILE, settings.default, deadline=None)
settings.load_profile(HYPOTHESIS_PROFILE)


ROOT = Path(__file__).resolve().parent.parent
COMPILED = ("incident", "runbooks", "store", "tui", "tests")
"""The checkout's packages: what the workers and the `lastgood` processes import."""
_TEST_FILE = re.compile(r"[/\\]test_[^/\\]*\.py$")
"""Test modules: pytest compiles them itself, as it rewrites their asserts."""


def pytest_configure(config: pytest.Config) -> None:
    """The checkout's bytecode, compiled once before any worker starts.

    With PYTHONDONTWRITEBYTECODE set (this sandbox's environment sets it, and
    `.ci/run`'s clean clone inherits it; the editable install compiles nothing), no
    process wrote a `.pyc`, so each of the suite's 900-odd `lastgood` and other Python
    processes compiled every module it imported from source, and each worker did too:
    on six CLI test files, 50-60 s of CPU against 27-28 s with the bytecode there.
    `compileall` writes it whatever that variable says, and only for modules without
    an up-to-date `.pyc` (0.4 s for all of them, 0.05 s once written). The code run is
    the same; a wheel's install compiles it too. An xdist worker leaves it to its
    controller, which runs this before it starts them."""
    if hasattr(config, "workerinput"):
        return
    for package in COMPILED:
        compileall.compile_dir(ROOT / package, quiet=1, rx=_TEST_FILE)


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


@pytest.fixture(scope="session", autouse=True)
def css_parsed_once() -> Iterator[None]:
    """Textual's CSS parsed once per worker for each source, theme and place, not once
    per app.

    Each app's stylesheet parses every source it holds (`app.tcss` and the
    `DEFAULT_CSS` of each widget class it mounts) into rule sets, and again whenever
    a widget class not seen before adds a source; its own cache holds 64 parses,
    fewer than the app's sources, so a reparse missed it for nearly every source. On
    the TUI tests, parsing was 7-8% of their CPU. The rule sets are a function of what
    the key holds (the CSS text, where it was read from, whether it is a widget's
    default, its tie-breaker and scope, and the theme's variables the text's `$names`
    resolve to), and nothing changes one once it is parsed (`Stylesheet.apply` reads
    them), so each worker shares them between its apps. A parse that fails raises as
    before and is not kept."""
    from textual.css.stylesheet import Stylesheet

    parse_rules = Stylesheet._parse_rules
    parsed: dict[tuple[object, ...], Any] = {}
    themes: dict[int, tuple[dict[str, str], dict[str, str], frozenset[tuple[str, str]]]] = {}

    def theme_of(variables: dict[str, str]) -> frozenset[tuple[str, str]]:
        """The theme as a key, built once per variables dict (an app's, or a copy):
        the dict is held so that its id is not reused, and compared with what it held
        then, so that a dict changed in place is a new theme."""
        known = themes.get(id(variables))
        if known is None or known[0] is not variables or known[1] != variables:
            known = (variables, dict(variables), frozenset(variables.items()))
            themes[id(variables)] = known
        return known[2]

    def cached(
        self: Stylesheet,
        css: str,
        read_from: tuple[str, str],
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> Any:
        theme = theme_of(self._variables)
        key = (css, read_from, is_default_rules, tie_breaker, scope, theme)
        rules = parsed.get(key)
        if rules is None:
            rules = parsed[key] = parse_rules(
                self, css, read_from, is_default_rules, tie_breaker, scope
            )
        return rules

    Stylesheet._parse_rules = cached  # type: ignore[method-assign]
    try:
        yield
    finally:
        Stylesheet._parse_rules = parse_rules  # type: ignore[method-assign]


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
