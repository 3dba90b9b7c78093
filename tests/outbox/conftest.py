"""The outbox tests' SQLite outbox and their one HTTP client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from store.outbox import Outbox
from tui.net.client import make_client


@pytest.fixture
async def client() -> AsyncIterator[object]:
    http = make_client()
    yield http
    await http.aclose()


@pytest.fixture
def outbox(tmp_path: Path) -> AsyncIterator[Outbox]:
    box = Outbox.open(tmp_path / "lastgood.db")
    yield box
    box.close()
