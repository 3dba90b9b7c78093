"""Probes and webhook targets that read a `${NAME}` this environment does not set.

A URL or header read from an unset variable cannot be sent: a webhook's delivery then
fails after the message was recorded as sent, and a probe polled anyway recorded
`ERROR environment variable X is not set` as the service failing its health checks,
which met the rollback trigger (ux_review8 #5, #13). Said once, in one line, where the
incident starts (`declare`, the coordinator's screen, `monitor`); such a probe is not
polled by that face, as one at the bundled default address is not
(`runbooks.unpointed`).

`${NAME:-default}` is never unset: its default stands in, as in the shell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from runbooks.checks import ENV_REFERENCE
from runbooks.model import Probe, Runbook


def unset_names(texts: Iterable[str], env: Mapping[str, str]) -> list[str]:
    """The variables `texts` read as `${NAME}` (no default) that `env` does not set."""
    names = (
        match.group(1)
        for text in texts
        for match in ENV_REFERENCE.finditer(text)
        if match.group(2) is None and match.group(1) not in env
    )
    return list(dict.fromkeys(names))


def probe_unset(probe: Probe, env: Mapping[str, str]) -> list[str]:
    """What `probe`'s URL and headers read that `env` does not set."""
    return unset_names([probe.url, *(value for _name, value in probe.headers)], env)


def unset_by_probe(runbook: Runbook, env: Mapping[str, str]) -> dict[str, list[str]]:
    """Each probe that cannot be polled here, with the variables it lacks."""
    found = {probe.name: probe_unset(probe, env) for probe in runbook.probes}
    return {name: names for name, names in found.items() if names}


def unset_by_target(runbook: Runbook, env: Mapping[str, str]) -> dict[str, list[str]]:
    """Each webhook target that cannot be sent to from here, with the variables it lacks."""
    found = {
        target.name: unset_names([target.url, *(v for _n, v in target.headers)], env)
        for target in runbook.notify_targets
    }
    return {name: names for name, names in found.items() if names}


def _named(kind: str, found: dict[str, list[str]]) -> str:
    return "; ".join(f"{kind} {name} reads {', '.join(names)}" for name, names in found.items())


def unset_hint(runbook: Runbook, env: Mapping[str, str], face: str = "") -> str | None:
    """One line naming what reads an unset variable, and what follows; None if nothing.
    `face`: the process that runs on with this environment (`monitor`), whose own
    environment cannot change while it runs: it says so ("until monitor is restarted
    with it set"), where a verb says "until set"."""
    probes, targets = unset_by_probe(runbook, env), unset_by_target(runbook, env)
    if not probes and not targets:
        return None
    parts = [_named("probe", probes), _named("target", targets)]
    effects = []
    if probes:
        effects.append(f"{'that probe is' if len(probes) == 1 else 'those probes are'} not polled")
    if targets:
        effects.append(f"messages to {'it' if len(targets) == 1 else 'them'} cannot be delivered")
    them = "it" if len(_variables(probes, targets)) == 1 else "them"
    until = f"until {face} is restarted with {them} set" if face else "until set"
    return (
        f"not set in this environment: {'; '.join(p for p in parts if p)} "
        f"({', and '.join(effects)}, {until})"
    )


def _variables(*found: dict[str, list[str]]) -> set[str]:
    """Every variable named in `found`."""
    return {name for each in found for read in each.values() for name in read}


def polled_here(probes: Iterable[Probe], env: Mapping[str, str]) -> tuple[Probe, ...]:
    """`probes` less those whose URL or headers read a variable `env` does not set."""
    return tuple(probe for probe in probes if not probe_unset(probe, env))


UNSET_TITLE = "Not set in this environment"
"""The screen's toast title for `unset_hint`."""
