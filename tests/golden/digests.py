"""Golden digests, for documents too large to keep in the repository byte for byte.

A JSON export of a sampled incident is half a megabyte on one line: its SHA-256,
taken from the code that wrote it before a change, shows that the change kept every
byte; a mismatch leaves the document beside the digests file to compare by hand.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence

from incident.core.events import Event
from tests.golden.markdown_checks import GOLDEN, UPDATE_ENV

DIGESTS = GOLDEN / "export-digests.txt"


def _read() -> dict[str, str]:
    if not DIGESTS.exists():
        return {}
    found = {}
    for line in DIGESTS.read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        found[name] = digest
    return found


def check_golden_digest(name: str, text: str) -> None:
    """Compare the SHA-256 of `text` with the one kept for `name`; LASTGOOD_UPDATE_GOLDEN=1
    writes it instead."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    known = _read()
    if os.environ.get(UPDATE_ENV) == "1":
        known[name] = digest
        lines = [f"{known[key]}  {key}" for key in sorted(known)]
        DIGESTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return
    assert name in known, f"no digest for {name} in {DIGESTS}: create it with {UPDATE_ENV}=1"
    if digest != known[name]:
        actual = GOLDEN / f"{name}.actual"
        actual.write_text(text, encoding="utf-8", newline="")
        raise AssertionError(f"{name} differs from its golden digest; it is in {actual}")


def placeholders(text: str, events: Sequence[Event], *, source: str = "") -> str:
    """Hashes (and the runbook's path, which they cover) as placeholders: the same
    document wherever the checkout is."""
    for event in events:
        text = text.replace(event.hash, f"<hash {event.seq}>")
    return text.replace(source, "<runbook source>") if source else text
