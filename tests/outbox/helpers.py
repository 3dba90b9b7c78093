"""What the outbox tests share: a message, a deliverer, the checkout they run from."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from incident.comms.routing import (
    OutboxMessage,
    Target,
    message_key,
)
from incident.core.clock import ManualClock
from tests.conftest import T0
from tui.net.delivery import Deliverer, OutboxLike

ROOT = Path(__file__).resolve().parent.parent.parent
INCIDENT = "INC-7"


def message(n: int, target: str, text: str | None = None) -> OutboxMessage:
    return OutboxMessage(
        key=message_key(INCIDENT, n, target),
        incident_id=INCIDENT,
        target=target,
        text=text or f"update {n}",
        created_at=T0,
    )


def deliverer(
    targets: list[Target],
    box: OutboxLike,
    client: object,
    clock: ManualClock,
    env: Mapping[str, str] | None = None,
    **kw: object,
) -> Deliverer:
    return Deliverer(
        {t.name: t for t in targets},
        box,
        client,  # type: ignore[arg-type]
        clock,
        env or {},
        **kw,  # type: ignore[arg-type]
    )
