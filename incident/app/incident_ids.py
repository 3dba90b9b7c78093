"""Which incident a mistyped ID most likely meant, for the refusal to name it.

An ID is typed from memory in a second terminal, or copied from an 80-column header
that cut it short: `inc-20261207-3c84`, `3C84` (the part that differs between the
day's incidents) or one wrong character. Each is refused all the same, since a
recording verb must never write to an incident the coordinator did not name; the
refusal says which incident they most likely meant, so the next try is a paste.
"""

from __future__ import annotations

from collections.abc import Iterable

SHORTEST_TAIL = 4
"""The fewest characters a typed tail must have to stand for an ID (`3C84`)."""


def likely_incident(typed: str, ids: Iterable[str]) -> str | None:
    """The ID `typed` most likely meant, or None: the same ID in other letter case, the
    one ID that ends with `typed`, else the closest by spelling."""
    known = list(ids)
    folded = typed.strip().casefold()
    if not folded:
        return None
    same = [incident_id for incident_id in known if incident_id.casefold() == folded]
    if same:
        return same[0]
    if len(folded) >= SHORTEST_TAIL:
        tails = [incident_id for incident_id in known if incident_id.casefold().endswith(folded)]
        if len(tails) == 1:
            return tails[0]
    import difflib  # here: only a refusal needs a guess

    by_folded = {incident_id.casefold(): incident_id for incident_id in known}
    close = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=0.8)
    return by_folded[close[0]] if close else None
