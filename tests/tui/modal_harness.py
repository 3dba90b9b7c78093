"""What the modal tests share: a host app that records what a modal is dismissed with,
driving helpers, a layout check for 80x24, and sample data shaped like the bundled runbook."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Select, TextArea

from tui.app.modals import (
    DeclareForm,
    DeclareModal,
    IncidentRow,
    Refusal,
    TierView,
    TriggerView,
)
from tui.app.modals.declare_form import RunbookView

SIZE = (80, 24)


class Host(App[None]):
    """Pushes one modal on mount and records what it is dismissed with."""

    def __init__(self, modal: Screen[Any]) -> None:
        super().__init__()
        self.modal = modal
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.modal, self.results.append)


@asynccontextmanager
async def opened(
    modal: Screen[Any], size: tuple[int, int] = SIZE
) -> AsyncIterator[tuple[Host, Pilot[None]]]:
    app = Host(modal)
    app.animation_level = "none"
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert app.screen is modal
        yield app, pilot


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


def error_text(app: Host) -> str:
    label = app.screen.query_one("#error", Label)
    return str(label.content) if label.display else ""


def focused_id(app: Host) -> str | None:
    focused = app.screen.focused
    return focused.id if focused is not None else None


def assert_still_open(app: Host, modal: Screen[Any]) -> None:
    assert app.results == []
    assert app.screen is modal


def prompts(option_list: OptionList) -> list[str]:
    return [str(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]


def assert_fits(app: Host) -> None:
    """Every control is visible inside the 80x24 screen; the dialog is compact."""
    screen = app.screen
    dialog = screen.query_one(".dialog")
    assert dialog.region.width <= 76
    assert dialog.region.height <= 22
    assert screen.region.contains_region(dialog.region)
    controls: list[Widget] = [
        *screen.query(Input),
        *screen.query(Button),
        *screen.query(Select),
        *screen.query(TextArea),
        *(w for w in screen.query(OptionList) if w.display and w.parent is not None),
    ]
    controls = [w for w in controls if not isinstance(w.parent, Select)]  # Select's own overlay
    titles, hints = screen.query(".title"), screen.query(".hint")
    assert len(titles) == 1 and len(hints) == 1
    assert titles.first().region.height == 1 and hints.first().region.height == 1
    for widget in controls:
        region = widget.region
        assert region.area > 0, f"{widget!r} is not visible"
        assert screen.region.contains_region(region), f"{widget!r} at {region} is off screen"
        assert dialog.region.contains_region(region), f"{widget!r} at {region} is off the dialog"


# --- sample data, shaped like the bundled rollback runbook ---------------------------------

TIERS = (
    TierView(
        id="none",
        title="Best case: no database rollback",
        risk="No data loss. Requires that you used the Expand-Contract pattern.",
        data_loss="none",
        guidance="The old application code is compatible with the new database schema. "
        "No database rollback is needed.",
        approver=None,
        approved_by=None,
    ),
    TierView(
        id="down-migrations",
        title="Acceptable case: run down migrations",
        risk="This carries a risk of data loss.",
        data_loss="possible",
        guidance='Run "down" migration scripts to reverse the schema changes.',
        approver=None,
        approved_by=None,
    ),
    TierView(
        id="restore-backup",
        title="Last resort: restore the pre-deployment backup",
        risk="This will cause data loss for any transactions that occurred after the backup "
        "was taken.",
        data_loss="certain",
        guidance="Restore the database from the pre-deployment backup. This *will* cause data "
        "loss for any transactions that occurred after the backup was taken. This requires "
        "leadership approval.",
        approver="leadership",
        approved_by=None,
    ),
)

TRIGGERS = (
    TriggerView(
        "error-rate", "Error rate > 5%", "metric", "met", "error rate 12.0% > 5.0% for 3 samples"
    ),
    TriggerView(
        "health-failing",
        "Health checks failing (3 in a row)",
        "consecutive_failures",
        "no data",
        "no samples yet",
    ),
    TriggerView("core-broken", "Core functionality broken", "manual", "not met", "set by hand"),
)

TEMPLATES = (
    ("initiating", "Initiating rollback", "Initiating rollback due to [red]5xx[/]. ETA 20 min."),
    ("resolved", "Resolved", "Resolved: checkout errors. Service is restored."),
)

ROWS = (
    IncidentRow("inc-1", "SEV1", "Checkout 500s after v2.5.0", "T+12:34", "open", "Ada"),
    IncidentRow("inc-2", "SEV3", "Slow [search]", "T+1:02:00", "resolved, ready to close", "Bo"),
)

PATTERNS = ("blue-green", "rolling", "recreate")


class Toggler:
    """A ``toggle_manual`` stand-in: flips the manual trigger and records calls."""

    def __init__(self, triggers: Sequence[TriggerView]) -> None:
        self.triggers = list(triggers)
        self.calls: list[str] = []

    async def __call__(self, trigger_id: str) -> Sequence[TriggerView]:
        return self.flip(trigger_id)

    def flip(self, trigger_id: str) -> Sequence[TriggerView]:
        self.calls.append(trigger_id)
        self.triggers = [
            TriggerView(t.id, t.title, t.kind, "not met" if t.state == "met" else "met", t.detail)
            if t.id == trigger_id
            else t
            for t in self.triggers
        ]
        return self.triggers


async def refused_as_declare_would(form: DeclareForm) -> Refusal | None:
    """What `lastgood declare` would refuse in these fields, by the same use case's
    checks on the bundled runbook (nothing is recorded: the form alone is on test)."""
    from incident import commands
    from incident.core.clock import ManualClock
    from incident.core.errors import CommandError
    from tui.demo.scenarios import SCENARIO_T0, bundled_runbook

    try:
        commands.declare(
            bundled_runbook(), form.declaration(), actor="ada", clock=ManualClock(SCENARIO_T0)
        )
    except CommandError as error:
        return Refusal(str(error), error.needs, error.needs_one_of)
    return None


def declare_modal(
    *, default_pattern: str | None = "rolling", commander: str = "alice", **overrides: Any
) -> DeclareModal:
    """The form on a runbook shaped like the bundled one, its fields checked by the use
    case, opened at the demo's T0."""
    from tui.demo.scenarios import SCENARIO_T0

    runbook = RunbookView("rollback", "Emergency rollback", PATTERNS, default_pattern)
    kwargs: dict[str, Any] = {
        "commander": commander,
        "record": refused_as_declare_would,
        "now": SCENARIO_T0,
    }
    kwargs.update(overrides)
    return DeclareModal(runbook, **kwargs)
