"""A network that goes silent, for real: every TCP packet to or from one loopback port
dropped by the kernel (nftables), nothing closed, nothing answered.

A server that restarts says goodbye; a partition says nothing, and only TCP's own
timers can tell. A proxy in the test cannot play it: the proxy's kernel would still
acknowledge every packet and keepalive probe. So the packets are dropped where a
broken network drops them, below the sockets, in a table of the test's own (named by
the port, so workers with their own clusters never touch each other's rules),
deleted on leaving. Needs `nft` (Debian's nftables) and CAP_NET_ADMIN, as `.ci/run`
has them (root); without either it fails saying so, never skips.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator

import pytest


def _nft(*words: str) -> None:
    found = subprocess.run(["nft", *words], capture_output=True, text=True, check=False)
    if found.returncode != 0:
        pytest.fail(
            f"nft {' '.join(words)} failed: {found.stderr.strip()} "
            "(the partition tests drop packets with nftables: run them as root, as .ci/run does)",
            pytrace=False,
        )


@contextlib.contextmanager
def silent_port(port: int) -> Iterator[None]:
    """While inside, TCP to and from 127.0.0.1:`port` is dropped both ways, unanswered."""
    if shutil.which("nft") is None:
        pytest.fail("no nft: apt-get install nftables (the partition tests need it)", pytrace=False)
    table = f"lastgood_partition_{port}"
    _nft("add", "table", "inet", table)
    try:
        _nft("add", "chain", "inet", table, "out", "{ type filter hook output priority 0 ; }")
        for side in ("dport", "sport"):
            _nft(
                "add",
                "rule",
                "inet",
                table,
                "out",
                "ip",
                "daddr",
                "127.0.0.1",
                "tcp",
                side,
                str(port),
                "drop",
            )
        yield
    finally:
        subprocess.run(["nft", "delete", "table", "inet", table], capture_output=True, check=False)
