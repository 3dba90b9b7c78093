"""The header at any width keeps T+, severity, the commander and the state; the title
gives way first, the id before the commander (ux_review13 #13)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incident.core.records import DeliveryRecord
from incident.core.state import IncidentState, fold
from tests.scenario_copies import scenario_copy
from tui.app.widgets.incident_bar import fitted

LONG_TITLE = "Checkout errors after 2.4.1 for every customer paying by card in the EU region"


def closed_state(tmp_path: Path) -> tuple[IncidentState, datetime]:
    scenario = scenario_copy("closed", tmp_path / "closed.db")
    state = fold(scenario.log.events(scenario.incident_id))
    state.title = LONG_TITLE
    state.deliveries = {
        "k1": DeliveryRecord("k1", "slack", "failed"),
        "k2": DeliveryRecord("k2", "slack", "pending"),
    }
    return state, scenario.clock.now()


@pytest.mark.parametrize("width", [78, 100, 160])
def test_the_title_is_truncated_first(tmp_path: Path, width: int) -> None:
    state, now = closed_state(tmp_path)
    line = fitted(state, now, width).plain
    assert len(line) <= width
    for part in ("T+", "SEV2", "IC Ada", "CLOSED", "1 pending", "1 FAILED"):
        assert part in line, (part, line)
    assert (state.id in line) == (width >= 160), line
    if width < 160:
        assert LONG_TITLE not in line
        assert "Checkout" in line and "…" in line


def test_a_wide_bar_shows_everything(tmp_path: Path) -> None:
    state, now = closed_state(tmp_path)
    line = fitted(state, now, 240).plain
    assert LONG_TITLE in line
    assert "IC Ada Lovelace" in line


@pytest.fixture(scope="module")
def closed_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[IncidentState, datetime]:
    return closed_state(tmp_path_factory.mktemp("bar"))


@settings(max_examples=60)
@given(title=st.text(min_size=0, max_size=120), width=st.integers(min_value=70, max_value=200))
def test_any_title_at_any_usable_width_keeps_the_commander_and_state(
    closed_once: tuple[IncidentState, datetime], title: str, width: int
) -> None:
    """70 cells hold T+, severity, the commander, CLOSED and both delivery counts,
    whatever the title; the id where there is room for it beside them."""
    state, now = closed_once
    state.title = title
    line = fitted(state, now, width)
    assert line.cell_len <= width
    for part in ("SEV2", "IC Ada", "CLOSED", "1 FAILED"):
        assert part in line.plain


def test_a_retried_try_is_said_without_what_was_expected(tmp_path: Path) -> None:
    """A delivery's error says what was expected (`HTTP 500 (expected 2xx): boom`), as a
    probe's does; in the bar's 16 cells that read `retrying (HTTP 500 (expec…)`."""
    state, now = closed_state(tmp_path)
    line = fitted(state, now, 200, "HTTP 500 (expected 2xx): boom").plain
    assert "✉ 1 retrying (HTTP 500: boom), 1 FAILED" in line
    line = fitted(state, now, 200, "REFUSED connection refused").plain
    assert "✉ 1 retrying (REFUSED connect…), 1 FAILED" in line
