"""What every screen test shares."""

from __future__ import annotations

import pytest
from textual import constants


@pytest.fixture(autouse=True)
def millions_of_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app renders as in a truecolor terminal, whatever `TERM` the tests run under:
    under a plain `TERM=xterm` it would take its sixteen-colour styles
    (`tui.app.colour_depth`), and the snapshots would depend on the terminal that ran
    them. `TEXTUAL_COLOR_SYSTEM`, which Textual reads once, at import."""
    monkeypatch.setattr(constants, "COLOR_SYSTEM", "truecolor")


@pytest.fixture
def terminal(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The terminal an app is started in, by name (`request.param`, for `indirect`
    parametrization): "default", "no-color" (NO_COLOR set) or "sixteen-colours"
    (`TEXTUAL_COLOR_SYSTEM=standard`, as under `TERM=xterm`)."""
    name: str = request.param
    if name == "no-color":
        monkeypatch.setenv("NO_COLOR", "1")
    elif name == "sixteen-colours":
        monkeypatch.setattr(constants, "COLOR_SYSTEM", "standard")
    else:
        assert name == "default", name
    return name
