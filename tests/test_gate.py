"""The poller gives way to a key: its gate, the polls and batches that wait at it, and
the byte the screen shares with the child. Real loopback servers, a real memfd."""

from __future__ import annotations

import asyncio
import mmap
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from incident.core.clock import SystemClock
from incident.core.samples import Outcome, Sample
from runbooks.model import Probe, ProbeKind
from tests.http_servers import LoopbackServer, standard_routes
from tui.cli.errors import CliError
from tui.cli.monitor import keys_gate
from tui.net.client import make_client
from tui.net.gate import Gate
from tui.net.poller import ProbePoller

BOUND_S = 30.0
"""Only keeps a broken gate from hanging the suite."""


@pytest.fixture
async def server() -> AsyncIterator[LoopbackServer]:
    async with LoopbackServer(standard_routes()) as running:
        yield running


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client() as shared:
        yield shared


async def until(condition: Callable[[], bool]) -> None:
    """Let the loop run until `condition` holds."""
    async with asyncio.timeout(BOUND_S):
        while not condition():
            await asyncio.sleep(0.001)


def probes(server: LoopbackServer, count: int) -> list[Probe]:
    return [
        Probe(name=f"p{n}", kind=ProbeKind.HTTP, url=server.url("/health"), interval_s=60.0)
        for n in range(count)
    ]


# --- the gate -----------------------------------------------------------------------


class Byte:
    """What the screen shares: set while a key's frame is being made."""

    def __init__(self) -> None:
        self.value = 0

    def held(self) -> bool:
        return self.value != 0


async def test_an_open_gate_is_passed_at_once() -> None:
    gate = Gate(Byte().held)
    await asyncio.wait_for(gate.passed(), BOUND_S)
    assert (gate.holds, gate.waiting) == (0, 0)


async def test_a_held_gate_is_passed_once_the_byte_is_cleared() -> None:
    byte = Byte()
    gate = Gate(byte.held, max_wait_s=BOUND_S)
    byte.value = 1
    passing = [asyncio.create_task(gate.passed()) for _ in range(3)]
    await until(lambda: gate.waiting == 3)
    assert not any(task.done() for task in passing)
    byte.value = 0
    await asyncio.wait_for(asyncio.gather(*passing), BOUND_S)
    assert (gate.holds, gate.waiting) == (1, 0)  # the three waited on one watch


async def test_a_wait_lapses_by_itself_if_the_byte_stays_set() -> None:
    byte = Byte()
    byte.value = 1
    gate = Gate(byte.held, max_wait_s=0.05)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.wait_for(gate.passed(), BOUND_S)
    assert loop.time() - started >= 0.05
    assert byte.held()  # still set: the gate gave up waiting, and the next wait is new
    await asyncio.wait_for(gate.passed(), BOUND_S)
    assert gate.holds == 2


# --- the poller at the gate ---------------------------------------------------------


async def test_no_poll_reaches_production_while_the_gate_is_held(server, client) -> None:
    byte = Byte()
    gate = Gate(byte.held, max_wait_s=BOUND_S)
    poller = ProbePoller(probes(server, 3), client, clock=SystemClock(), env={}, gate=gate)
    byte.value = 1
    round_ = asyncio.create_task(poller.poll_due())
    await until(lambda: gate.waiting == 3)  # every poll of the round is at the gate
    assert server.requests == []
    byte.value = 0
    batch = await asyncio.wait_for(round_, BOUND_S)
    assert [sample.outcome for sample in batch] == [Outcome.OK] * 3
    assert len(server.requests) == 3


async def test_a_batch_is_handed_over_only_through_the_gate(server, client) -> None:
    byte = Byte()
    gate = Gate(byte.held, max_wait_s=BOUND_S)
    poller = ProbePoller(probes(server, 2), client, clock=SystemClock(), env={}, gate=gate)
    handed: list[list[Sample]] = []
    stop = asyncio.Event()

    def keep(batch: list[Sample]) -> None:
        handed.append(batch)
        stop.set()

    original = poller.poll_due

    async def polled_then_a_key() -> list[Sample]:
        batch = await original()
        byte.value = 1  # a key arrives as the round ends, before its batch is recorded
        return batch

    poller.poll_due = polled_then_a_key  # type: ignore[method-assign]
    running = asyncio.create_task(poller.run(keep, stop=stop))
    await until(lambda: gate.waiting == 1)
    assert handed == []
    byte.value = 0
    await asyncio.wait_for(running, BOUND_S)
    assert [len(batch) for batch in handed] == [2]


# --- the byte the screen shares -----------------------------------------------------


async def test_the_gate_reads_the_byte_the_screen_writes() -> None:
    shared = os.memfd_create("test-keys")
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
    unused = os.open(os.devnull, os.O_RDONLY)
    os.close(unused)
    with pytest.raises(CliError, match=rf"^--keys-first {unused}: no shared byte there \(Bad"):
        keys_gate(unused)
