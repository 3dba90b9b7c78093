"""Which incident a mistyped ID most likely meant, for the refusal to name it.

An ID is typed from memory in a second terminal, or copied from an 80-column header
that cut it short: `inc-20261207-3c84`, `3C84` (the part that differs between the
day's incidents) or one wrong character. A recording verb refuses each, since it
must never write to an incident the coordinator did not name; the
refusal says which incident they most likely meant, so the next try is a paste.

A verb that only reads takes what names one incident though not spelt exactly
(`named_incident`: other letter case, a unique tail), and says which it read; an ID
left out, where the verb only reads, means the one open incident (`only_open`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from incident.core.errors import CommandError

SHORTEST_TAIL = 4
"""The fewest characters a typed tail must have to stand for an ID (`3C84`)."""


def named_incident(typed: str, ids: Iterable[str]) -> str | None:
    """The one ID `typed` names though not spelt exactly, or None: the same ID in other
    letter case (`inc-20261207-00b9`), else the one ID ending with `typed` in any case,
    `SHORTEST_TAIL` characters or more (`00b9`). A verb that only reads reads it (and
    says which on stderr); a verb that records refuses it all the same, naming it
    (`likely_incident`): a write to a guessed incident is worse than a keystroke."""
    known = list(ids)
    folded = typed.strip().casefold()
    if not folded:
        return None
    same = [incident_id for incident_id in known if incident_id.casefold() == folded]
    if len(same) == 1:
        return same[0]
    if len(folded) >= SHORTEST_TAIL:
        tails = [incident_id for incident_id in known if incident_id.casefold().endswith(folded)]
        if len(tails) == 1:
            return tails[0]
    return None


def named_note(incident_id: str, typed: str) -> str:
    """What a reading verb says when it reads `incident_id` for what was `typed`."""
    return f"{incident_id} (for '{typed}')"


def likely_incident(typed: str, ids: Iterable[str]) -> str | None:
    """The ID `typed` most likely meant, or None: the one it names (`named_incident`),
    else the closest by spelling."""
    known = list(ids)
    folded = typed.strip().casefold()
    if not folded:
        return None
    if (named := named_incident(typed, known)) is not None:
        return named
    import difflib  # here: only a refusal needs a guess

    by_folded = {incident_id.casefold(): incident_id for incident_id in known}
    close = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=0.8)
    return by_folded[close[0]] if close else None


SHOWN_OPEN = 5
"""The most open incidents a refusal names; the rest are counted ("and 2 more")."""


def only_open(open_ids: Sequence[str], where: str, listing: str) -> str:
    """The incident a reading verb reads when given no ID: the only open one.

    `open_ids` are the open incidents (not closed, drills left out, as the store's
    `open_incidents` gives them), `where` the record, `listing` how this face names the
    verb that lists incidents. None open, or several, is refused (`CommandError`),
    naming them: a guess between two incidents would show one as if it were the other.
    A verb that records always takes an ID: a write to the wrong incident is worse
    than a keystroke.
    """
    if len(open_ids) == 1:
        return open_ids[0]
    if not open_ids:
        raise CommandError(
            f"no open incident in {where}: name one by its ID ({listing} lists them all)"
        )
    shown = ", ".join(open_ids[:SHOWN_OPEN])
    more = len(open_ids) - SHOWN_OPEN
    if more > 0:
        shown += f" and {more} more"
    raise CommandError(f"{len(open_ids)} incidents are open in {where} ({shown}): name one")


def only_open_note(incident_id: str) -> str:
    """What a face says when it reads the only open incident, unnamed."""
    return f"{incident_id} (the only open incident)"
