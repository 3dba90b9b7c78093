"""What a message says in place of a value the incident was never given.

Declared without `--channel`, the announcement read "Channel: the incident channel." and
the page "Join the incident channel", which no one can do, while "Create a dedicated
communication channel" stayed open; without `--issue`, `--eta` or the versions, "due to
<the title>. ETA to be confirmed." and "Rolling back the new release to the last good
version" (ux_review15 #7). The stand-ins stay (`templates.template_context` writes them):
this says, before the message goes, which it holds and how to give the value instead.
"""

from __future__ import annotations

import string

from incident.core.state import IncidentState

__all__ = ["missing_values", "stand_in_warning"]

_HOW = {
    "channel": "no channel was named: name it first (Set channel; lastgood channel ID NAME)",
    "issue": "no --issue at declare, so it reads the title",
    "eta": "no --eta at declare",
    "from_version": "no --from-version at declare",
    "last_good_version": "no --last-good at declare",
}
"""For each placeholder filled with a stand-in when its value is missing: why, and for
the channel, how to give it (the others are given at declare only)."""

EDIT = "or write the value into the message (the dialog's text; send --text)"
"""How to give a value no verb sets after the declaration."""


def _missing(state: IncidentState) -> dict[str, bool]:
    return {
        "channel": not state.channel,
        "issue": not state.issue,
        "eta": state.eta_min is None,
        "from_version": not state.from_version,
        "last_good_version": not state.last_good_version,
    }


def missing_values(state: IncidentState, text: str) -> list[str]:
    """The placeholders `text` (a template) names, in its order and once each, that the
    incident has no value for: each is filled with a stand-in."""
    missing = _missing(state)
    found: list[str] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:  # the loader refuses such a template; say nothing of it here
        return []
    for _literal, name, _spec, _conversion in parsed:
        if name is not None and missing.get(name) and name not in found:
            found.append(name)
    return found


def stand_in_warning(state: IncidentState, template: str | None) -> str | None:
    """`it fills {channel} with a stand-in: no channel was named: name it first (...)`,
    for a template naming values the incident lacks; None when it has them all, or for a
    message written as it is."""
    text = state.runbook.template(template) if template is not None else None
    if text is None:
        return None
    names = missing_values(state, text)
    if not names:
        return None
    said = "; ".join(f"{{{name}}}: {_HOW[name]}" for name in names)
    return f"it fills {'these' if len(names) > 1 else 'this'} with a stand-in: {said}; {EDIT}"
