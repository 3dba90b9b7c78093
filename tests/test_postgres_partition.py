"""A network that goes silent under a PostgreSQL record is noticed, and recording resumes.

`tests/test_postgres_reconnect.py` covers a server that restarts: it closes its
connections, and the next call sees it. A partition closes nothing. Here the kernel
drops every packet to and from a real cluster's TCP port (`tests/network_partition.py`)
while a write is in flight and a listener waits for notices, with lastgood's own
settings (`store.postgres_connection.LOST_NETWORK_SETTINGS`, none in the URL). Both
must fail in one line instead of waiting on TCP's retransmissions for a quarter of an
hour, and once the network is back the record must take the next write and the
listener must answer with the incident's head.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from store.errors import StoreError
from store.postgres_connection import LOST_NETWORK_SETTINGS, connect
from store.postgres_listen import PostgresListener
from store.postgres_log import PostgresEventLog
from tests.network_partition import silent_port
from tests.postgres_server import Cluster
from tests.store_helpers import new_event

GIVE_UP_S = 120
"""Far past the 25 s the settings promise; only a hang (the tree before) reaches it."""


def tcp_url(cluster: Cluster, pg_url: str) -> str:
    """The test's database over TCP on loopback, with no settings of its own."""
    return cluster.tcp_url(pg_url.split("@/", 1)[1].split("?", 1)[0])


def in_background(call: Callable[[], object]) -> tuple[threading.Thread, list[BaseException]]:
    """`call` started on a thread; the list gets what it raised, if anything."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:  # handed to the test to judge
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, raised


def notes(log: PostgresEventLog) -> list[str]:
    return [str(getattr(event.data, "text", "")) for event in log.events("inc-1")]


def test_a_silent_network_fails_the_write_and_the_listener_then_both_resume(
    pg_cluster: Cluster, pg_url: str
) -> None:
    url = tcp_url(pg_cluster, pg_url)
    with PostgresEventLog.open(url) as log, PostgresListener.open(url, "inc-1") as listener:
        log.append([new_event(n=1)])
        assert listener.wait(timeout_s=GIVE_UP_S) == 1
        heard: list[int | None] = []
        with silent_port(pg_cluster.port):
            writing, write_raised = in_background(lambda: log.append([new_event(n=2)]))
            listening, listen_raised = in_background(
                lambda: heard.append(listener.wait(timeout_s=GIVE_UP_S))
            )
            writing.join(GIVE_UP_S)
            listening.join(GIVE_UP_S)
            assert not writing.is_alive(), "the write still waits on a silent network"
            assert heard == [], f"the listener heard {heard} and noticed nothing wrong"
            assert not listening.is_alive(), "the listener still waits on a silent network"

        for raised, starts in (
            (write_raised, "cannot append"),
            (listen_raised, "lost the live feed"),
        ):
            assert len(raised) == 1 and isinstance(raised[0], StoreError), raised
            message = str(raised[0])
            assert message.startswith(f"{log.path}: {starts}"), message
            assert "\n" not in message

        log.append([new_event(n=3)])
        assert notes(log) == ["note 1", "note 3"]  # the dropped write never reached the server
        assert log.verify("inc-1").ok
        # Listening again, answering at once with the head: note 3 is the second event.
        assert listener.wait(timeout_s=GIVE_UP_S) == 2


@pytest.mark.parametrize("asked", [{}, {"keepalives_idle": "2", "tcp_user_timeout": "4000"}])
def test_every_connection_gets_the_lost_network_settings_unless_the_url_says(
    pg_cluster: Cluster, pg_url: str, asked: dict[str, str]
) -> None:
    query = "&".join(f"{name}={value}" for name, value in asked.items())
    _, connection = connect(
        tcp_url(pg_cluster, pg_url) + (f"?{query}" if query else ""), read_only=True
    )
    with connection:
        used = connection.info.get_parameters()
    expected = {name: asked.get(name, str(value)) for name, value in LOST_NETWORK_SETTINGS.items()}
    assert {name: used.get(name) for name in expected} == expected
