"""The gate the poller's polls wait at while the coordinator's key is drawn, and the
byte the screen shares with its child for it (a real memfd). The poller at the gate
is in `tests/probing/test_poller_gate.py`."""

from __future__ import annotations

import asyncio
import errno
import mmap
import os
import resource
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import InProcessCli
from tests.gate_waiting import BOUND_S, until
from tests.http_servers import unused_port
from tui.app.keys_first import KeyFlag
from tui.app.probe_child import _shared_file
from tui.cli import monitor
from tui.cli.errors import CliError
from tui.cli.main import main
from tui.cli.monitor_signals import keys_gate
from tui.demo.launch import write_demo_runbook
from tui.net.gate import Gate
from tui.net.poller import ProbePoller

# --- the gate -----------------------------------------------------------------------


async def test_an_open_gate_is_passed_at_once() -> None:
    gate = Gate(KeyFlag().held)
    await asyncio.wait_for(gate.passed(), BOUND_S)
    assert (gate.holds, gate.waiting) == (0, 0)


async def test_a_held_gate_is_passed_once_the_byte_is_cleared() -> None:
    key = KeyFlag()
    gate = Gate(key.held, max_wait_s=BOUND_S)
    key.hold()
    passing = [asyncio.create_task(gate.passed()) for _ in range(3)]
    await until(lambda: gate.waiting == 3)
    assert not any(task.done() for task in passing)
    key.release()
    await asyncio.wait_for(asyncio.gather(*passing), BOUND_S)
    assert (gate.holds, gate.waiting) == (1, 0)  # the three waited on one watch


async def test_a_wait_lapses_by_itself_if_the_byte_stays_set() -> None:
    key = KeyFlag()
    key.hold()
    gate = Gate(key.held, max_wait_s=0.05)
    await asyncio.wait_for(gate.passed(), BOUND_S)
    assert key.held()  # still set: the gate gave up waiting, and the next wait is new
    await asyncio.wait_for(gate.passed(), BOUND_S)
    assert gate.holds == 2


# --- the byte the screen shares -----------------------------------------------------


async def test_the_gate_reads_the_byte_the_screen_writes() -> None:
    shared = _shared_file()
    try:
        os.ftruncate(shared, 1)
        screen = mmap.mmap(shared, 1)
        gate = keys_gate(shared)
    finally:
        os.close(shared)  # both mappings stay
    assert not gate.held()
    screen[0] = 1
    assert gate.held()
    screen[0] = 0
    assert not gate.held()


def test_no_shared_byte_at_the_descriptor_is_a_one_line_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.touch()
    with empty.open("rb") as opened, pytest.raises(CliError, match="no shared byte there"):
        keys_gate(opened.fileno())  # an empty file: not one byte to map
    unused = min(resource.getrlimit(resource.RLIMIT_NOFILE)[0], 1 << 16) - 1  # high: no
    with pytest.raises(OSError):  # test opens it, and it is not one closed for the test,
        os.fstat(unused)  # which another thread could open again in between
    with pytest.raises(CliError, match=rf"^--keys-first {unused}: no shared byte there \(Bad"):
        keys_gate(unused)


def test_where_no_memfd_is_made_the_byte_is_an_unlinked_file(monkeypatch) -> None:
    def refused(name: str) -> int:
        raise OSError(errno.ENOSYS, "Function not implemented")

    monkeypatch.setattr(os, "memfd_create", refused, raising=False)
    shared = _shared_file()
    try:
        assert os.fstat(shared).st_nlink == 0  # nobody else can open it
        os.ftruncate(shared, 1)
        screen = mmap.mmap(shared, 1)
        gate = keys_gate(shared)
    finally:
        os.close(shared)
    screen[0] = 1
    assert gate.held()


def test_the_monitor_polls_through_the_gate_over_its_keys_first_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`monitor --keys-first FD` hands its poller the gate over the byte at FD (run in
    this process, which `InProcessCli` leaves to a real one, to watch the poller)."""
    gates: list[Gate | None] = []

    class Watched(ProbePoller):
        def __init__(self, *args: Any, gate: Gate | None = None, **kwargs: Any) -> None:
            gates.append(gate)
            super().__init__(*args, gate=gate, **kwargs)

        async def run(self, *args: object, **kwargs: object) -> None:
            return  # polling through the gate is `tests/probing/test_poller_gate.py`'s

    monkeypatch.setattr(monitor, "ProbePoller", Watched)
    cli = InProcessCli(tmp_path / "gated.db")
    runbook = write_demo_runbook(f"http://127.0.0.1:{unused_port()}", tmp_path)
    incident_id = cli.ok(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada",
        "--runbook", runbook.source,
    ).strip()  # fmt: skip
    shared = _shared_file()
    try:
        os.ftruncate(shared, 1)
        screen = mmap.mmap(shared, 1)
        monkeypatch.setenv("LASTGOOD_DB", str(tmp_path / "gated.db"))
        assert main(["monitor", "--probes-only", "--keys-first", str(shared), incident_id]) == 0
        (gate,) = gates
        assert gate is not None and not gate.held()
        screen[0] = 1
        assert gate.held()
        screen.close()
    finally:
        os.close(shared)
