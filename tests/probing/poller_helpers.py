"""What the poller tests share: an http probe by name (the fixtures are `conftest.py`'s)."""

from __future__ import annotations

from runbooks.model import Probe, ProbeKind


def probe(name: str, url: str, **kw: object) -> Probe:
    return Probe(name=name, kind=ProbeKind.HTTP, url=url, **kw)  # type: ignore[arg-type]
