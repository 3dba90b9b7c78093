"""The tamper tests' intact incident, built once a module, and a fresh copy a test."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import msgspec.structs
import pytest

from incident.core.events import Event
from store import SqliteEventLog
from tests.tampered.helpers import INCIDENT, declared, note


@pytest.fixture(scope="module")
def intact(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Event]]:
    path = tmp_path_factory.mktemp("intact") / "lastgood.db"
    with SqliteEventLog.open(path) as log:
        log.append([declared()])
        for n in range(2, 11):
            log.append([note(n)])
        log.append([msgspec.structs.replace(note(1), incident_id="bystander")])
        events = log.events(INCIDENT)
    return path, events


@pytest.fixture
def copy(intact: tuple[Path, list[Event]], tmp_path: Path) -> Path:
    source, _ = intact
    target = tmp_path / "copy.db"
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target
